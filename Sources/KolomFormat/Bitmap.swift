// Bitmap: a fixed-length bit vector in 64-bit words, LSB-first, as stored on disk
// for validity and flag columns.

/// A fixed-length sequence of bits packed LSB-first into 64-bit words.
/// Bits past `count` in the last word are always zero.
public struct Bitmap: Sendable, Equatable {
  /// The packed words; `words.count == (count + 63) / 64`.
  public private(set) var words: [UInt64]
  /// The number of bits.
  public let count: Int

  /// A bitmap of `count` bits, all `value`.
  public init(count: Int, value: Bool = false) {
    precondition(count >= 0, "negative bitmap length \(count)")
    self.count = count
    words = [UInt64](repeating: value ? ~0 : 0, count: Bitmap.wordCount(count))
    if value { clearTail() }
  }

  /// A bitmap from already packed words; bits past `count` are cleared.
  public init(words: [UInt64], count: Int) {
    precondition(words.count == Bitmap.wordCount(count), "\(words.count) words for \(count) bits")
    self.words = words
    self.count = count
    clearTail()
  }

  /// A bitmap holding `bits` in order.
  public init(_ bits: [Bool]) {
    self.init(count: bits.count)
    for (i, bit) in bits.enumerated() where bit { self[i] = true }
  }

  /// The number of 64-bit words that hold `bits` bits.
  public static func wordCount(_ bits: Int) -> Int { (bits + 63) / 64 }

  public subscript(index: Int) -> Bool {
    get {
      precondition(index >= 0 && index < count, "bit \(index) of \(count)")
      return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
    set {
      precondition(index >= 0 && index < count, "bit \(index) of \(count)")
      let mask: UInt64 = 1 << UInt64(index & 63)
      if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
    }
  }

  /// The number of set bits.
  /// - Complexity: O(count / 64).
  public var trueCount: Int { words.reduce(0) { $0 &+ $1.nonzeroBitCount } }

  /// The bits at `positions`, in that order: bit i of the result is bit `positions[i]`.
  /// - Complexity: O(positions.count).
  public func gathering(_ positions: [Int]) -> Bitmap {
    var result = Bitmap(count: positions.count)
    let count = self.count
    words.withUnsafeBufferPointer { source in
      result.words.withUnsafeMutableBufferPointer { target in
        positions.withUnsafeBufferPointer { positions in
          for (i, p) in positions.enumerated() {
            precondition(p >= 0 && p < count, "bit \(p) of \(count)")
            target[i >> 6] |= (source[p >> 6] >> UInt64(p & 63) & 1) << UInt64(i & 63)
          }
        }
      }
    }
    return result
  }

  /// The bits in `range`, as a new bitmap starting at bit 0.
  /// - Complexity: O(range.count).
  public func slice(_ range: Range<Int>) -> Bitmap {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice \(range) of \(count)")
    var result = Bitmap(count: range.count)
    if range.lowerBound & 63 == 0 {
      let first = range.lowerBound >> 6
      for w in 0..<result.words.count { result.words[w] = words[first + w] }
      result.clearTail()
    } else {
      for i in 0..<range.count where self[range.lowerBound + i] { result[i] = true }
    }
    return result
  }

  private mutating func clearTail() {
    let tail = count & 63
    if tail != 0 { words[words.count - 1] &= (1 << UInt64(tail)) &- 1 }
  }
}
