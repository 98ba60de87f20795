// Little-endian writing and bounds-checked reading of the fixed-size footer fields.

/// Appends little-endian fields to a byte array.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u16(_ v: UInt16) { append(UInt64(v), size: 2) }
  mutating func u32(_ v: UInt32) { append(UInt64(v), size: 4) }
  mutating func u64(_ v: UInt64) { append(v, size: 8) }
  mutating func i64(_ v: Int64) { append(UInt64(bitPattern: v), size: 8) }
  mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
  mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }
  /// Pads with zeros to the next multiple of `alignment`.
  mutating func align(_ alignment: Int) {
    zeros((alignment - bytes.count % alignment) % alignment)
  }

  private mutating func append(_ v: UInt64, size: Int) {
    for i in 0..<size { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
}

/// Reads little-endian fields at offsets inside a byte array; the caller has checked
/// that the whole fixed-size structure lies inside it.
struct ByteReader {
  let bytes: [UInt8]
  let base: Int

  init(_ bytes: [UInt8], at base: Int = 0) {
    self.bytes = bytes
    self.base = base
  }

  func u8(_ at: Int) -> UInt8 { bytes[base + at] }
  func u16(_ at: Int) -> UInt16 { UInt16(truncatingIfNeeded: read(at, size: 2)) }
  func u32(_ at: Int) -> UInt32 { UInt32(truncatingIfNeeded: read(at, size: 4)) }
  func u64(_ at: Int) -> UInt64 { read(at, size: 8) }
  func i64(_ at: Int) -> Int64 { Int64(bitPattern: read(at, size: 8)) }
  func slice(_ at: Int, _ count: Int) -> ArraySlice<UInt8> { bytes[(base + at)..<(base + at + count)] }

  private func read(_ at: Int, size: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<size { v |= UInt64(bytes[base + at + i]) << (8 * UInt64(i)) }
    return v
  }
}
