// Vector: the values of one expression over the rows of a batch (a row group, or the
// table of groups), with a validity bitmap where some are NULL. Text is a dictionary
// index and a date a day number, so every comparison is on integers.
import KolomFormat

/// The values of an expression over `count` rows.
enum Vector: Sendable {
  case ints([Int64], valid: Bitmap?)
  case doubles([Double], valid: Bitmap?)
  case bools(Bitmap, valid: Bitmap?)
  case bytes([UInt8], width: Int, valid: Bitmap?)
  /// One value for every row, not materialized.
  case constant(Scalar, count: Int)

  var count: Int {
    switch self {
    case .ints(let v, _): v.count
    case .doubles(let v, _): v.count
    case .bools(let b, _): b.count
    case .bytes(let b, let w, _): b.count / w
    case .constant(_, let n): n
    }
  }

  /// Rows that are not NULL; nil when all are.
  var validity: Bitmap? {
    switch self {
    case .ints(_, let valid), .doubles(_, let valid), .bools(_, let valid), .bytes(_, _, let valid): valid
    case .constant(let s, let n): s == .null ? Bitmap(count: n) : nil
    }
  }

  /// The vector of a decoded column chunk.
  init(_ data: ColumnData) {
    switch data.values {
    case .integers(let v): self = .ints(v, valid: data.validity)
    case .booleans(let b): self = .bools(b, valid: data.validity)
    case .bytes(let b, let w): self = .bytes(b, width: w, valid: data.validity)
    }
  }

  /// The values as integers (constants expanded); `fallback` where NULL.
  func integers() -> [Int64] {
    switch self {
    case .ints(let v, _): return v
    case .bools(let b, _): return (0..<b.count).map { b[$0] ? 1 : 0 }
    case .doubles(let v, _): return v.map { Int64($0) }
    case .constant(let s, let n):
      if case .int(let v) = s { return [Int64](repeating: v, count: n) }
      if case .bool(let v) = s { return [Int64](repeating: v ? 1 : 0, count: n) }
      return [Int64](repeating: 0, count: n)
    case .bytes: preconditionFailure("integers of a bytes vector")
    }
  }

  /// The values as doubles (constants and integers converted).
  func doubles() -> [Double] {
    switch self {
    case .doubles(let v, _): return v
    case .ints(let v, _): return v.map(Double.init)
    case .constant(let s, let n): return [Double](repeating: s.asDouble ?? 0, count: n)
    case .bools, .bytes: preconditionFailure("doubles of a non-numeric vector")
    }
  }

  /// The truth values (NULL rows read as false), constants expanded.
  func truths() -> Bitmap {
    switch self {
    case .bools(let b, let valid): return valid.map { b.and($0) } ?? b
    case .constant(.bool(let v), let n): return Bitmap(count: n, value: v)
    case .constant(_, let n): return Bitmap(count: n)
    default: preconditionFailure("truths of a non-boolean vector")
    }
  }

  /// The value of row `row` as a scalar.
  func scalar(at row: Int) -> Scalar {
    if let valid = validity, !valid[row] { return .null }
    switch self {
    case .ints(let v, _): return .int(v[row])
    case .doubles(let v, _): return .double(v[row])
    case .bools(let b, _): return .bool(b[row])
    case .bytes(let b, let w, _): return .bytes(Array(b[(row * w)..<(row * w + w)]))
    case .constant(let s, _): return s
    }
  }
}

extension Bitmap {
  /// Bits set in both.
  func and(_ other: Bitmap) -> Bitmap { combined(other, &) }
  /// Bits set in either.
  func or(_ other: Bitmap) -> Bitmap { combined(other, |) }
  /// Bits set here and not in `other`.
  func andNot(_ other: Bitmap) -> Bitmap { combined(other) { $0 & ~$1 } }

  /// Every bit flipped.
  func inverted() -> Bitmap {
    Bitmap(words: words.map { ~$0 }, count: count)
  }

  private func combined(_ other: Bitmap, _ op: (UInt64, UInt64) -> UInt64) -> Bitmap {
    precondition(count == other.count, "bitmaps of \(count) and \(other.count) bits")
    var out = [UInt64](repeating: 0, count: words.count)
    words.withUnsafeBufferPointer { a in
      other.words.withUnsafeBufferPointer { b in
        for i in 0..<out.count { out[i] = op(a[i], b[i]) }
      }
    }
    return Bitmap(words: out, count: count)
  }

  /// Calls `body` with the index of every set bit, in order.
  /// - Complexity: O(count / 64 + set bits).
  @inline(__always)
  func forEachSetBit(_ body: (Int) throws -> Void) rethrows {
    try words.withUnsafeBufferPointer { words in
      for w in 0..<words.count {
        var word = words[w]
        while word != 0 {
          try body(w << 6 | word.trailingZeroBitCount)
          word &= word &- 1
        }
      }
    }
  }
}

/// Validity of a result computed from several inputs: valid where all are.
func combinedValidity(_ parts: Bitmap?...) -> Bitmap? {
  var result: Bitmap? = nil
  for part in parts {
    guard let part else { continue }
    result = result.map { $0.and(part) } ?? part
  }
  return result
}
