// How each bad file of format-spec/test-vectors/bad was made from a golden file,
// and the error every reader must give for it.
import KolomFormat

enum BadFiles {
  struct Bad {
    var name: String
    var error: String
    var why: String
    var bytes: [UInt8]
  }

  static func all(golden: [String: [UInt8]]) -> [Bad] {
    let kinds = golden["all-kinds"]!
    let smallest = golden["smallest"]!
    var result: [Bad] = []
    func add(_ name: String, _ error: String, _ why: String, _ bytes: [UInt8]) {
      result.append(Bad(name: name + ".kol", error: error, why: why, bytes: bytes))
    }
    add("too-short", "truncated", "40 bytes: less than a header and a trailer", Array(smallest.prefix(40)))
    add("truncated", "truncated", "all-kinds without its last 100 bytes: no trailer", Array(kinds.dropLast(100)))
    add("bad-magic", "bad-magic", "header magic byte 1 changed", patched(kinds) { $0[1] ^= 0xFF })
    add(
      "future-major", "unsupported-version", "major version 2 in header and trailer",
      patched(kinds) { b in
        b[8] = 2
        b[b.count - 20] = 2
      })
    add(
      "unknown-required-feature", "unknown-required-feature", "required feature bit 7 set, footer checksum fixed",
      footerPatched(kinds) { b, footer in b[footer + 16] |= 0x80 })
    add(
      "bad-footer-checksum", "checksum-mismatch", "a footer byte changed, checksum not fixed",
      patched(kinds) { b in b[footerOffset(b) + 3] ^= 0x01 })
    add(
      "bad-chunk-checksum", "checksum-mismatch", "first stored byte of chunk (0, 0) changed",
      patched(kinds) { $0[16] ^= 0x55 })
    add(
      "chunk-out-of-bounds", "out-of-bounds", "chunk (0, 0) offset points into the footer, footer checksum fixed",
      footerPatched(kinds) { b, footer in
        let entry = chunkEntry(b, footer: footer, group: 0, column: 0)
        write64(&b, at: entry, UInt64(footer + 8))
      })
    add(
      "footer-out-of-bounds", "out-of-bounds", "trailer footer length 0xFFFFFFFF",
      patched(kinds) { b in for i in 0..<4 { b[b.count - 24 + i] = 0xFF } })
    add(
      "too-many-columns", "limit-exceeded", "footer column count 5000, footer checksum fixed",
      footerPatched(smallest) { b, footer in write32(&b, at: footer + 8, 5000) })
    add(
      "lz4-corrupt", "decompression-failed", "an LZ4 chunk's bytes replaced by 0xFF, checksums fixed",
      footerPatched(golden["lz4-fast-and-hc"]!) { b, footer in
        let entry = chunkEntry(b, footer: footer, group: 0, column: 0)
        precondition(b[entry + 24] == 1, "golden chunk (0, 0) is LZ4")
        let (offset, stored) = (Int(read64(b, at: entry)), Int(read32(b, at: entry + 8)))
        for i in offset..<(offset + stored) { b[i] = 0xFF }
        write64(&b, at: entry + 16, Checksum.xxh3(b[offset..<(offset + stored)]))
      })
    add(
      "code-out-of-range", "inconsistent", "PLAIN code 299 changed to 999 (code list of 300), checksums fixed",
      footerPatched(golden["plain-integers"]!) { b, footer in
        let entry = chunkEntry(b, footer: footer, group: 0, column: 1)
        let (offset, stored) = (Int(read64(b, at: entry)), Int(read32(b, at: entry + 8)))
        write64(&b, at: offset, 999)
        write64(&b, at: entry + 16, Checksum.xxh3(b[offset..<(offset + stored)]))
      })
    add(
      "runs-count-mismatch", "inconsistent",
      "a RUNS chunk's run-start bitmap marks one start more than its run count, checksums fixed",
      footerPatched(golden["runs"]!) { b, footer in
        let entry = chunkEntry(b, footer: footer, group: 0, column: 0)
        precondition(b[entry + 25] == 2 && b[entry + 24] == 0, "golden chunk (0, 0) is raw RUNS")
        let (offset, stored) = (Int(read64(b, at: entry)), Int(read32(b, at: entry + 8)))
        let startsAt = offset + (b[entry + 27] & 1 == 1 ? 16 : 0)  // after the validity bitmap of 100 rows
        precondition(b[startsAt] & 0b10 == 0, "value 1 continues the first run")
        b[startsAt] |= 0b10
        write64(&b, at: entry + 16, Checksum.xxh3(b[offset..<(offset + stored)]))
      })
    return result
  }

  static func patched(_ bytes: [UInt8], _ change: (inout [UInt8]) -> Void) -> [UInt8] {
    var b = bytes
    change(&b)
    return b
  }

  /// Applies `change` to the footer and stores its new checksum in the trailer.
  static func footerPatched(_ bytes: [UInt8], _ change: (inout [UInt8], Int) -> Void) -> [UInt8] {
    var b = bytes
    let footer = footerOffset(b)
    change(&b, footer)
    let length = Int(read32(b, at: b.count - 24))
    write64(&b, at: b.count - 16, Checksum.xxh3(b[footer..<(footer + length)]))
    return b
  }

  static func footerOffset(_ b: [UInt8]) -> Int { Int(read64(b, at: b.count - 32)) }

  static func chunkEntry(_ b: [UInt8], footer: Int, group: Int, column: Int) -> Int {
    let columns = Int(read32(b, at: footer + 8))
    let groups = Int(read32(b, at: footer + 12))
    return footer + 64 + columns * 32 + groups * 16 + (group * columns + column) * 64
  }

  static func read64(_ b: [UInt8], at: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
  }
  static func read32(_ b: [UInt8], at: Int) -> UInt32 {
    UInt32(truncatingIfNeeded: read64(b + [0, 0, 0, 0, 0, 0, 0, 0], at: at) & 0xFFFF_FFFF)
  }
  static func write64(_ b: inout [UInt8], at: Int, _ v: UInt64) {
    for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
  }
  static func write32(_ b: inout [UInt8], at: Int, _ v: UInt32) {
    for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
  }
}
