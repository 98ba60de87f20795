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

  /// Unpacks `count` values of `width` bits from `words` and adds `base` (wrapping).
  /// The caller has checked that `words` holds at least `wordCount(count:width:)` words.
  /// - Complexity: O(count).
  public static func unpack(
    _ words: UnsafeBufferPointer<UInt64>, count: Int, width: Int, base: Int64,
    into output: UnsafeMutableBufferPointer<Int64>
  ) {
    precondition(output.count >= count && words.count >= wordCount(count: count, width: width))
    guard width > 0 else {
      for i in 0..<count { output[i] = base }
      return
    }
    if width == 64 {
      for i in 0..<count { output[i] = Int64(bitPattern: words[i]) &+ base }
      return
    }
    let mask: UInt64 = (1 << UInt64(width)) &- 1
    let w = UInt64(width)
    var bit: UInt64 = 0
    for i in 0..<count {
      let word = Int(truncatingIfNeeded: bit &>> 6)
      let shift = bit & 63
      var offset = words[word] &>> shift
      if shift &+ w > 64 { offset |= words[word &+ 1] &<< (64 &- shift) }
      output[i] = Int64(bitPattern: offset & mask) &+ base
      bit &+= w
    }
  }
}
