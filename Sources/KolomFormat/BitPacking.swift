// Bit packing of frame-of-reference values: value − base, `width` bits each,
// LSB-first into little-endian 64-bit words (format-spec/encodings.md, BITPACK_FOR).

/// Packs and unpacks unsigned offsets of 0 to 64 bits.
public enum BitPacking {
  /// Number of 64-bit words that hold `count` values of `width` bits.
  public static func wordCount(count: Int, width: Int) -> Int {
    (count * width + 63) / 64
  }

  /// The smallest width that holds `range` (an unsigned span max − min).
  public static func width(forRange range: UInt64) -> Int {
    range == 0 ? 0 : 64 - range.leadingZeroBitCount
  }

  /// Packs `values[i] − base` (wrapping, so any Int64 span fits in 64 bits) at `width` bits.
  /// - Complexity: O(values.count).
  public static func pack(_ values: [Int64], base: Int64, width: Int) -> [UInt64] {
    precondition(width >= 0 && width <= 64, "bit width \(width)")
    var words = [UInt64](repeating: 0, count: wordCount(count: values.count, width: width))
    guard width > 0 else { return words }
    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
    values.withUnsafeBufferPointer { src in
      words.withUnsafeMutableBufferPointer { dst in
        var bit = 0
        for value in src {
          let offset = UInt64(bitPattern: value &- base)
          precondition(offset & ~mask == 0, "value \(value) does not fit \(width) bits over base \(base)")
          let word = bit &>> 6
          let shift = UInt64(bit & 63)
          dst[word] |= offset &<< shift
          if shift &+ UInt64(width) > 64 { dst[word &+ 1] |= offset &>> (64 &- shift) }
          bit &+= width
        }
      }
    }
    return words
  }

  /// Unpacks `count` values of `width` bits from `words` and adds `base` (wrapping);
  /// returns the largest offset (value − base) unpacked, so that a caller can bound the
  /// values without another pass. The caller has checked that `words` holds at least
  /// `wordCount(count:width:)` words.
  /// - Complexity: O(count).
  @discardableResult
  public static func unpack(
    _ words: UnsafeBufferPointer<UInt64>, count: Int, width: Int, base: Int64,
    into output: UnsafeMutableBufferPointer<Int64>
  ) -> UInt64 {
    precondition(output.count >= count && words.count >= wordCount(count: count, width: width))
    guard width > 0 else {
      for i in 0..<count { output[i] = base }
      return 0
    }
    if width == 64 {
      var high: UInt64 = 0
      for i in 0..<count {
        output[i] = Int64(bitPattern: words[i]) &+ base
        high = max(high, words[i])
      }
      return high
    }
    if width <= 32 {
      let blocks = count / 64
      let high = unpackBlocks(words, blocks: blocks, width: width, base: base, into: output)
      return max(high, unpackTail(words, from: blocks * 64, count: count, width: width, base: base, into: output))
    }
    return unpackTail(words, from: 0, count: count, width: width, base: base, into: output)
  }

  /// Values `start..<count`, one at a time.
  private static func unpackTail(
    _ words: UnsafeBufferPointer<UInt64>, from start: Int, count: Int, width: Int, base: Int64,
    into output: UnsafeMutableBufferPointer<Int64>
  ) -> UInt64 {
    var high: UInt64 = 0
    let mask: UInt64 = (1 << UInt64(width)) &- 1
    let w = UInt64(width)
    var bit = UInt64(start) &* w
    for i in start..<count {
      let word = Int(truncatingIfNeeded: bit &>> 6)
      let shift = bit & 63
      var offset = words[word] &>> shift
      if shift &+ w > 64 { offset |= words[word &+ 1] &<< (64 &- shift) }
      output[i] = Int64(bitPattern: offset & mask) &+ base
      high = max(high, offset & mask)
      bit &+= w
    }
    return high
  }
}

/// A bit width known at compile time, so that the unpacking of a block of 64 values
/// (exactly `width` words) unrolls with constant shifts.
protocol PackWidth { static var bits: Int { get } }

enum PackWidth1: PackWidth { static var bits: Int { 1 } }
enum PackWidth2: PackWidth { static var bits: Int { 2 } }
enum PackWidth3: PackWidth { static var bits: Int { 3 } }
enum PackWidth4: PackWidth { static var bits: Int { 4 } }
enum PackWidth5: PackWidth { static var bits: Int { 5 } }
enum PackWidth6: PackWidth { static var bits: Int { 6 } }
enum PackWidth7: PackWidth { static var bits: Int { 7 } }
enum PackWidth8: PackWidth { static var bits: Int { 8 } }
enum PackWidth9: PackWidth { static var bits: Int { 9 } }
enum PackWidth10: PackWidth { static var bits: Int { 10 } }
enum PackWidth11: PackWidth { static var bits: Int { 11 } }
enum PackWidth12: PackWidth { static var bits: Int { 12 } }
enum PackWidth13: PackWidth { static var bits: Int { 13 } }
enum PackWidth14: PackWidth { static var bits: Int { 14 } }
enum PackWidth15: PackWidth { static var bits: Int { 15 } }
enum PackWidth16: PackWidth { static var bits: Int { 16 } }
enum PackWidth17: PackWidth { static var bits: Int { 17 } }
enum PackWidth18: PackWidth { static var bits: Int { 18 } }
enum PackWidth19: PackWidth { static var bits: Int { 19 } }
enum PackWidth20: PackWidth { static var bits: Int { 20 } }
enum PackWidth21: PackWidth { static var bits: Int { 21 } }
enum PackWidth22: PackWidth { static var bits: Int { 22 } }
enum PackWidth23: PackWidth { static var bits: Int { 23 } }
enum PackWidth24: PackWidth { static var bits: Int { 24 } }
enum PackWidth25: PackWidth { static var bits: Int { 25 } }
enum PackWidth26: PackWidth { static var bits: Int { 26 } }
enum PackWidth27: PackWidth { static var bits: Int { 27 } }
enum PackWidth28: PackWidth { static var bits: Int { 28 } }
enum PackWidth29: PackWidth { static var bits: Int { 29 } }
enum PackWidth30: PackWidth { static var bits: Int { 30 } }
enum PackWidth31: PackWidth { static var bits: Int { 31 } }
enum PackWidth32: PackWidth { static var bits: Int { 32 } }

extension BitPacking {
  /// Unpacks `blocks` blocks of 64 values of `width` (1 … 32) bits.
  static func unpackBlocks(
    _ words: UnsafeBufferPointer<UInt64>, blocks: Int, width: Int, base: Int64,
    into output: UnsafeMutableBufferPointer<Int64>
  ) -> UInt64 {
    switch width {
    case 1: return unpackBlocks(PackWidth1.self, words, blocks: blocks, base: base, into: output)
    case 2: return unpackBlocks(PackWidth2.self, words, blocks: blocks, base: base, into: output)
    case 3: return unpackBlocks(PackWidth3.self, words, blocks: blocks, base: base, into: output)
    case 4: return unpackBlocks(PackWidth4.self, words, blocks: blocks, base: base, into: output)
    case 5: return unpackBlocks(PackWidth5.self, words, blocks: blocks, base: base, into: output)
    case 6: return unpackBlocks(PackWidth6.self, words, blocks: blocks, base: base, into: output)
    case 7: return unpackBlocks(PackWidth7.self, words, blocks: blocks, base: base, into: output)
    case 8: return unpackBlocks(PackWidth8.self, words, blocks: blocks, base: base, into: output)
    case 9: return unpackBlocks(PackWidth9.self, words, blocks: blocks, base: base, into: output)
    case 10: return unpackBlocks(PackWidth10.self, words, blocks: blocks, base: base, into: output)
    case 11: return unpackBlocks(PackWidth11.self, words, blocks: blocks, base: base, into: output)
    case 12: return unpackBlocks(PackWidth12.self, words, blocks: blocks, base: base, into: output)
    case 13: return unpackBlocks(PackWidth13.self, words, blocks: blocks, base: base, into: output)
    case 14: return unpackBlocks(PackWidth14.self, words, blocks: blocks, base: base, into: output)
    case 15: return unpackBlocks(PackWidth15.self, words, blocks: blocks, base: base, into: output)
    case 16: return unpackBlocks(PackWidth16.self, words, blocks: blocks, base: base, into: output)
    case 17: return unpackBlocks(PackWidth17.self, words, blocks: blocks, base: base, into: output)
    case 18: return unpackBlocks(PackWidth18.self, words, blocks: blocks, base: base, into: output)
    case 19: return unpackBlocks(PackWidth19.self, words, blocks: blocks, base: base, into: output)
    case 20: return unpackBlocks(PackWidth20.self, words, blocks: blocks, base: base, into: output)
    case 21: return unpackBlocks(PackWidth21.self, words, blocks: blocks, base: base, into: output)
    case 22: return unpackBlocks(PackWidth22.self, words, blocks: blocks, base: base, into: output)
    case 23: return unpackBlocks(PackWidth23.self, words, blocks: blocks, base: base, into: output)
    case 24: return unpackBlocks(PackWidth24.self, words, blocks: blocks, base: base, into: output)
    case 25: return unpackBlocks(PackWidth25.self, words, blocks: blocks, base: base, into: output)
    case 26: return unpackBlocks(PackWidth26.self, words, blocks: blocks, base: base, into: output)
    case 27: return unpackBlocks(PackWidth27.self, words, blocks: blocks, base: base, into: output)
    case 28: return unpackBlocks(PackWidth28.self, words, blocks: blocks, base: base, into: output)
    case 29: return unpackBlocks(PackWidth29.self, words, blocks: blocks, base: base, into: output)
    case 30: return unpackBlocks(PackWidth30.self, words, blocks: blocks, base: base, into: output)
    case 31: return unpackBlocks(PackWidth31.self, words, blocks: blocks, base: base, into: output)
    case 32: return unpackBlocks(PackWidth32.self, words, blocks: blocks, base: base, into: output)
    default: preconditionFailure("block width \(width)")
    }
  }

  @inline(__always)
  private static func unpackBlocks<W: PackWidth>(
    _: W.Type, _ words: UnsafeBufferPointer<UInt64>, blocks: Int, base: Int64,
    into output: UnsafeMutableBufferPointer<Int64>
  ) -> UInt64 {
    let w = W.bits
    let mask: UInt64 = (1 << UInt64(w)) &- 1
    var high: UInt64 = 0
    guard let source = words.baseAddress, let target = output.baseAddress else { return 0 }
    for block in 0..<blocks {
      let inWords = source + block &* w
      let out = target + block &* 64
      for j in 0..<64 {
        let bit = j &* w
        let shift = UInt64(bit & 63)
        var value = inWords[bit &>> 6] &>> shift
        if Int(shift) &+ w > 64 { value |= inWords[(bit &>> 6) &+ 1] &<< (64 &- shift) }
        out[j] = Int64(bitPattern: value & mask) &+ base
        high = max(high, value & mask)
      }
    }
    return high
  }
}
