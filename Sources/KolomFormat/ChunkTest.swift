// Bit-packed integer chunks read for a query without unpacking every value: a predicate
// evaluated on the packed offsets (each of the at most 2^8 offsets a narrow chunk can
// hold is tested once, and the rows are looked up into a bitmap), which is what a
// filter on a code column (fase = …, urgentie IN (…)) costs otherwise; and the values
// of the rows a filter kept only, for a grouping key after a selective filter.

extension ChunkDecoder {
  /// The widest packing tested in place: 256 offsets to test, a 256-byte table.
  static let widestTested = 8

  /// Whether a chunk is tested in place rather than decoded.
  static func isTestable(_ info: ChunkInfo, column: ColumnDescriptor) -> Bool {
    switch column.kind {
    case .int, .code, .date: info.encoding == .bitpackFOR && info.bitWidth <= widestTested
    case .bool, .bytes: false
    }
  }

  /// The rows of a testable chunk (`isTestable`) whose value `accept` takes (null rows
  /// are not), and the validity; nil when a packed code lies outside the code list, so
  /// that decoding reports it.
  static func test(
    _ stored: [UInt8], info: ChunkInfo, column: ColumnDescriptor, rows: Int, at: FileLocation,
    accept: (Int64) -> Bool
  ) throws -> (matches: Bitmap, validity: Bitmap?)? {
    precondition(isTestable(info, column: column), "chunk is not bit-packed narrowly")
    let raw = try rawWords(stored, info: info, at: at)
    return try raw.withUnsafeBufferPointer { raw in
      let (validity, values) = try split(raw, info: info, rows: rows, at: at)
      let count = rows - info.statistics.nullCount
      let width = info.bitWidth
      // Which offsets are accepted (a byte each, 0 or 1); offsets from `firstOutside`
      // on would be codes outside the list.
      var firstOutside = 1 << width
      if column.kind == .code {
        // A code below 0 is never written; a chunk claiming one is decoded, and refused there.
        guard info.base >= 0 else { return nil }
        firstOutside = Int(max(0, min(Int64(firstOutside), Int64(column.codeCount) &- info.base)))
      }
      var accepted = [UInt8](repeating: 0, count: 256)
      for offset in 0..<firstOutside where accept(info.base &+ Int64(offset)) { accepted[offset] = 1 }
      var words = [UInt64](repeating: 0, count: Bitmap.wordCount(count))
      let high = words.withUnsafeMutableBufferPointer { out in
        accepted.withUnsafeBufferPointer { lookUp(values, count: count, width: width, $0, into: out) }
      }
      guard count == 0 || Int(high) < firstOutside else { return nil }
      return (scatter(Bitmap(words: words, count: count), validity: validity), validity)
    }
  }

  /// Sets bit i of `out` when offset i of `words` is accepted (`accepted[offset]` is 1);
  /// returns the largest offset.
  private static func lookUp(
    _ words: UnsafeBufferPointer<UInt64>, count: Int, width: Int, _ accepted: UnsafeBufferPointer<UInt8>,
    into out: UnsafeMutableBufferPointer<UInt64>
  ) -> UInt8 {
    precondition(words.count >= BitPacking.wordCount(count: count, width: width), "packed values cut short")
    guard width > 0 else {
      // Every value is the base (the bitmap clears the bits past the last row).
      if accepted[0] == 1 { for w in 0..<out.count { out[w] = ~0 } }
      return 0
    }
    if width <= 2 { return lookUpNarrow(words, count: count, width: width, accepted, into: out) }
    let (blocks, blockHigh) =
      switch width {
      case 1: lookUpBlocks(PackWidth1.self, words, blocks: count / 64, accepted, into: out)
      case 2: lookUpBlocks(PackWidth2.self, words, blocks: count / 64, accepted, into: out)
      case 3: lookUpBlocks(PackWidth3.self, words, blocks: count / 64, accepted, into: out)
      case 4: lookUpBlocks(PackWidth4.self, words, blocks: count / 64, accepted, into: out)
      case 5: lookUpBlocks(PackWidth5.self, words, blocks: count / 64, accepted, into: out)
      case 6: lookUpBlocks(PackWidth6.self, words, blocks: count / 64, accepted, into: out)
      case 7: lookUpBlocks(PackWidth7.self, words, blocks: count / 64, accepted, into: out)
      case 8: lookUpBlocks(PackWidth8.self, words, blocks: count / 64, accepted, into: out)
      default: preconditionFailure("tested width \(width)")
      }
    var high = blockHigh
    // The values after the blocks done, one at a time.
    let mask: UInt64 = (1 << UInt64(width)) &- 1
    let w = UInt64(width)
    var bit = UInt64(blocks * 64) &* w
    for i in (blocks * 64)..<count {
      let word = Int(truncatingIfNeeded: bit &>> 6)
      let shift = bit & 63
      var value = words[word] &>> shift
      if shift &+ w > 64 { value |= words[word &+ 1] &<< (64 &- shift) }
      let offset = UInt8(truncatingIfNeeded: value & mask)
      out[i >> 6] |= UInt64(accepted[Int(offset)]) &<< UInt64(i & 63)
      high = max(high, offset)
      bit &+= w
    }
    return high
  }

  /// Whole blocks of 64 offsets (exactly `width` words each) into one bitmap word each:
  /// each offset unpacked and looked up (a byte, 0 or 1), eight bytes gathered into bits
  /// by one multiply (bit i of the top byte of b × 0x0102040810204080 is byte i). Eight
  /// offsets take exactly `width` bytes, so within a group of eight every offset's byte
  /// and shift are constants, and each is one unaligned 16-bit load.
  @inline(__always)
  private static func lookUpBlocks<W: PackWidth>(
    _: W.Type, _ words: UnsafeBufferPointer<UInt64>, blocks: Int, _ accepted: UnsafeBufferPointer<UInt8>,
    into out: UnsafeMutableBufferPointer<UInt64>
  ) -> (blocks: Int, high: UInt8) {
    let w = W.bits
    let mask = UInt16((1 << w) &- 1)
    guard let source = words.baseAddress, let table = accepted.baseAddress, let target = out.baseAddress else {
      return (0, 0)
    }
    // The last offset of a group reads one byte past it: a block ending the buffer is
    // left to the caller's one-at-a-time loop.
    let done = min(blocks, (words.count * 8 - 1) / (8 * w))
    let bytes = UnsafeRawPointer(source)
    var high: UInt8 = 0
    for block in 0..<done {
      let start = block &* 8 &* w
      var word: UInt64 = 0
      for group in 0..<8 {
        let at = start &+ group &* w
        // Eight looked-up bytes (0 or 1), then their low bits gathered by one multiply.
        var eight: UInt64 = 0
        for k in 0..<8 {
          let bit = k &* w
          let pair = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at &+ bit &>> 3, as: UInt16.self))
          let offset = UInt8(truncatingIfNeeded: (pair &>> UInt16(bit & 7)) & mask)
          high = max(high, offset)
          eight |= UInt64(table[Int(offset)]) &<< UInt64(8 &* k)
        }
        word |= ((eight &* 0x0102_0408_1020_4080) &>> 56) &<< UInt64(8 &* group)
      }
      target[block] = word
    }
    return (done, high)
  }

  /// Offsets of one or two bits, tested 64 (or 32) to a word with bit logic: each
  /// possible offset is a minterm of the word's bits, the accepted minterms are ORed,
  /// and for two bits the even bits are then compacted into one 32-bit half.
  private static func lookUpNarrow(
    _ words: UnsafeBufferPointer<UInt64>, count: Int, width: Int, _ accepted: UnsafeBufferPointer<UInt8>,
    into out: UnsafeMutableBufferPointer<UInt64>
  ) -> UInt8 {
    let take = (0..<4).map { accepted[$0] == 1 ? ~UInt64(0) : 0 }
    // Fields past `count` are zero bits, offset 0: no higher than any real offset, and
    // their hits past the last row are cleared by the bitmap.
    var seen = (UInt64(0), UInt64(0), UInt64(0))
    for o in 0..<out.count {
      if width == 1 {
        let x = words[o]
        out[o] = (x & take[1]) | (~x & take[0])
        seen.0 |= x
      } else {
        let low = two(words[2 * o], take, &seen)
        let high = 2 * o + 1 < words.count ? two(words[2 * o + 1], take, &seen) : 0
        out[o] = low | high &<< 32
      }
    }
    if width == 1 { return seen.0 != 0 ? 1 : 0 }
    return seen.2 != 0 ? 3 : seen.1 != 0 ? 2 : seen.0 != 0 ? 1 : 0
  }

  /// The 32 two-bit offsets of `x` tested: bit i of the result is offset i's; `seen`
  /// gathers which of offsets 1, 2 and 3 occur.
  @inline(__always)
  private static func two(_ x: UInt64, _ take: [UInt64], _ seen: inout (UInt64, UInt64, UInt64)) -> UInt64 {
    let even: UInt64 = 0x5555_5555_5555_5555
    let low = x & even
    let high = (x &>> 1) & even
    let is1 = low & ~high
    let is2 = high & ~low
    let is3 = high & low
    seen.0 |= is1
    seen.1 |= is2
    seen.2 |= is3
    var hits = ((even & ~(low | high)) & take[0]) | (is1 & take[1]) | (is2 & take[2]) | (is3 & take[3])
    hits = (hits | hits &>> 1) & 0x3333_3333_3333_3333
    hits = (hits | hits &>> 2) & 0x0F0F_0F0F_0F0F_0F0F
    hits = (hits | hits &>> 4) & 0x00FF_00FF_00FF_00FF
    hits = (hits | hits &>> 8) & 0x0000_FFFF_0000_FFFF
    return (hits | hits &>> 16) & 0x0000_0000_FFFF_FFFF
  }
}

extension ChunkDecoder {
  /// Whether a chunk can be decoded at chosen rows only.
  static func isSelectable(_ info: ChunkInfo, column: ColumnDescriptor) -> Bool {
    switch column.kind {
    case .int, .code, .date: info.encoding == .bitpackFOR
    case .bool, .bytes: false
    }
  }

  /// A bit-packed integer chunk (`isSelectable`) decoded at the rows of `selection`
  /// only: other rows hold 0, whatever they store. Each selected row's packed place is
  /// its rank among the non-null rows. nil when a code lies outside the code list, so
  /// that decoding the whole chunk reports it.
  static func decode(
    _ stored: [UInt8], info: ChunkInfo, column: ColumnDescriptor, rows: Int, selection: Bitmap, at: FileLocation
  ) throws -> ColumnData? {
    precondition(isSelectable(info, column: column) && selection.count == rows, "selection of \(rows) rows")
    let raw = try rawWords(stored, info: info, at: at)
    return try raw.withUnsafeBufferPointer { raw in
      let (validity, words) = try split(raw, info: info, rows: rows, at: at)
      let width = info.bitWidth
      precondition(
        words.count >= BitPacking.wordCount(count: rows - info.statistics.nullCount, width: width),
        "packed values cut short")
      let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
      var high: UInt64 = 0
      var values = [Int64](repeating: 0, count: rows)
      values.withUnsafeMutableBufferPointer { out in
        var rank = 0
        for w in 0..<selection.words.count {
          let valid = validity?.words[w] ?? ~0
          var chosen = selection.words[w] & valid
          while chosen != 0 {
            let j = chosen.trailingZeroBitCount
            let dense = rank &+ (valid & ((1 << UInt64(j)) &- 1)).nonzeroBitCount
            let bit = dense &* width
            let shift = UInt64(bit & 63)
            var offset = width == 0 ? 0 : words[bit &>> 6] &>> shift
            if Int(shift) &+ width > 64 { offset |= words[(bit &>> 6) &+ 1] &<< (64 &- shift) }
            offset &= mask
            high = max(high, offset)
            out[w &<< 6 | j] = Int64(bitPattern: offset) &+ info.base
            chosen &= chosen &- 1
          }
          rank &+= valid.nonzeroBitCount
        }
      }
      let codes = Int64(column.codeCount)
      if column.kind == .code && !(info.base >= 0 && info.base < codes && high < UInt64(codes &- info.base)) {
        return nil
      }
      return ColumnData(.integers(values), validity: validity)
    }
  }
}
