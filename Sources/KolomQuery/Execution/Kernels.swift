// The evaluator's kernels: arithmetic, comparisons, membership and three-valued logic
// over whole vectors, with a fast path for the common column-against-constant case.
import KolomFormat

enum Arithmetic {
  static func apply(_ op: ArithmeticOperator, _ a: Vector, _ b: Vector, type: ValueType) -> Vector {
    let n = a.count
    var valid = combinedValidity(a.validity, b.validity)
    if type == .double {
      let x = a.doubles()
      let y = b.doubles()
      var out = [Double](repeating: 0, count: n)
      var zero: [Int] = []
      for i in 0..<n {
        switch op {
        case .add: out[i] = x[i] + y[i]
        case .subtract: out[i] = x[i] - y[i]
        case .multiply: out[i] = x[i] * y[i]
        case .divide, .remainder:
          if y[i] == 0 {
            zero.append(i)
          } else {
            out[i] = op == .divide ? x[i] / y[i] : x[i].truncatingRemainder(dividingBy: y[i])
          }
        }
      }
      valid = nulled(valid, zero, n)
      return .doubles(out, valid: valid)
    }
    let x = a.integers()
    let y = b.integers()
    var out = [Int64](repeating: 0, count: n)
    var zero: [Int] = []
    for i in 0..<n {
      switch op {
      case .add: out[i] = x[i] &+ y[i]
      case .subtract: out[i] = x[i] &- y[i]
      case .multiply: out[i] = x[i] &* y[i]
      case .divide, .remainder:
        // Division by zero gives NULL, as in SQLite and DuckDB.
        if y[i] == 0 || (y[i] == -1 && x[i] == .min) {
          zero.append(i)
        } else {
          out[i] = op == .divide ? x[i] / y[i] : x[i] % y[i]
        }
      }
    }
    return .ints(out, valid: nulled(valid, zero, n))
  }

  private static func nulled(_ valid: Bitmap?, _ rows: [Int], _ n: Int) -> Bitmap? {
    guard !rows.isEmpty else { return valid }
    var v = valid ?? Bitmap(count: n, value: true)
    for row in rows { v[row] = false }
    return v
  }
}

enum Comparison {
  static func apply(_ op: ComparisonOperator, _ a: Vector, _ b: Vector) -> Vector {
    let n = a.count
    let valid = combinedValidity(a.validity, b.validity)
    switch (a, b) {
    case (.ints(let x, _), .constant(.int(let k), _)): return .bools(compare(x, op, k), valid: valid)
    case (.constant(.int(let k), _), .ints(let y, _)): return .bools(compare(y, op.swapped, k), valid: valid)
    case (.bytes(let x, let w, _), .constant(.bytes(let k), _)), (.constant(.bytes(let k), _), .bytes(let x, let w, _)):
      var bits = Bitmap(count: n)
      k.withUnsafeBytes { key in
        x.withUnsafeBytes { all in
          for row in 0..<n where UnsafeRawBufferPointer(rebasing: all[(row * w)..<(row * w + w)]).elementsEqual(key) {
            bits[row] = true
          }
        }
      }
      return .bools(op == .equal ? bits : bits.inverted(), valid: valid)
    default: break
    }
    var bits = Bitmap(count: n)
    switch (a, b) {
    case (.doubles, _), (_, .doubles), (.constant(.double, _), _), (_, .constant(.double, _)):
      let x = a.doubles()
      let y = b.doubles()
      for i in 0..<n where holds(op, x[i] < y[i], x[i] == y[i]) { bits[i] = true }
    case (.bytes, _), (_, .bytes):
      for i in 0..<n {
        let equal = a.scalar(at: i) == b.scalar(at: i)
        if equal == (op == .equal) { bits[i] = true }
      }
    default:
      let x = a.integers()
      let y = b.integers()
      for i in 0..<n where holds(op, x[i] < y[i], x[i] == y[i]) { bits[i] = true }
    }
    return .bools(bits, valid: valid)
  }

  /// `x op k`.
  @inline(__always)
  static func holds(_ op: ComparisonOperator, _ x: Int64, _ k: Int64) -> Bool { holds(op, x < k, x == k) }

  @inline(__always)
  private static func holds(_ op: ComparisonOperator, _ less: Bool, _ equal: Bool) -> Bool {
    switch op {
    case .equal: equal
    case .notEqual: !equal
    case .less: less
    case .lessOrEqual: less || equal
    case .greater: !less && !equal
    case .greaterOrEqual: !less
    }
  }

  /// `x[i] op k` for every i, word by word.
  private static func compare(_ x: [Int64], _ op: ComparisonOperator, _ k: Int64) -> Bitmap {
    // One loop per operator: a switch inside the loop would be taken for every value.
    switch op {
    case .equal: bits(x) { $0 == k }
    case .notEqual: bits(x) { $0 != k }
    case .less: bits(x) { $0 < k }
    case .lessOrEqual: bits(x) { $0 <= k }
    case .greater: bits(x) { $0 > k }
    case .greaterOrEqual: bits(x) { $0 >= k }
    }
  }

  /// The bitmap of `test` over `x`.
  @inline(__always)
  static func bits(_ x: [Int64], _ test: (Int64) -> Bool) -> Bitmap {
    var words = [UInt64](repeating: 0, count: Bitmap.wordCount(x.count))
    x.withUnsafeBufferPointer { x in
      words.withUnsafeMutableBufferPointer { out in
        let full = x.count >> 6
        // A fixed 64 values per word and unchecked shifts, so that the loop vectorizes.
        for w in 0..<full {
          var word: UInt64 = 0
          let base = w &<< 6
          for j in 0..<64 { word |= UInt64(test(x[base &+ j]) ? 1 : 0) &<< UInt64(j) }
          out[w] = word
        }
        if full < out.count {
          var word: UInt64 = 0
          for j in 0..<(x.count - full << 6) { word |= UInt64(test(x[full << 6 + j]) ? 1 : 0) &<< UInt64(j) }
          out[full] = word
        }
      }
    }
    return Bitmap(words: words, count: x.count)
  }

  /// `a IN set` (or NOT IN): NULL for NULL values.
  static func member(_ a: Vector, _ set: [Scalar], negated: Bool) -> Vector {
    let n = a.count
    var bits = Bitmap(count: n)
    switch a {
    case .ints(let x, _):
      let keys = set.compactMap { if case .int(let v) = $0 { v } else { nil } }
      if !keys.isEmpty && keys.count <= 4 {
        // A few codes (urgentie IN ('hoog', 'crisis')): compare with each, no table.
        let k = keys + Array(repeating: keys[0], count: 4 - keys.count)
        let (k0, k1, k2, k3) = (k[0], k[1], k[2], k[3])
        bits = Comparison.bits(x) { v in (v == k0) || (v == k1) || (v == k2) || (v == k3) }
      } else if let low = keys.min(), let high = keys.max(), high - low < 4096 {
        var table = [Bool](repeating: false, count: Int(high - low) + 1)
        for k in keys { table[Int(k - low)] = true }
        bits = table.withUnsafeBufferPointer { table in
          Comparison.bits(x) { v in v >= low && v <= high && table[Int(v &- low)] }
        }
      } else {
        let lookup = Set(keys)
        for i in 0..<n where lookup.contains(x[i]) { bits[i] = true }
      }
    default:
      let lookup = Set(set)
      for i in 0..<n where lookup.contains(a.scalar(at: i)) { bits[i] = true }
    }
    return .bools(negated ? bits.inverted() : bits, valid: a.validity)
  }
}

enum Logic {
  /// Three-valued AND: false wins over NULL.
  static func and(_ a: Vector, _ b: Vector) -> Vector {
    if case .bools(let x, nil) = a, case .bools(let y, nil) = b { return .bools(x.and(y), valid: nil) }
    let (aTrue, aFalse) = split(a)
    let (bTrue, bFalse) = split(b)
    let isTrue = aTrue.and(bTrue)
    let isFalse = aFalse.or(bFalse)
    return result(isTrue, isFalse)
  }

  /// Three-valued OR: true wins over NULL.
  static func or(_ a: Vector, _ b: Vector) -> Vector {
    let (aTrue, aFalse) = split(a)
    let (bTrue, bFalse) = split(b)
    return result(aTrue.or(bTrue), aFalse.and(bFalse))
  }

  static func not(_ a: Vector) -> Vector {
    let (isTrue, isFalse) = split(a)
    return result(isFalse, isTrue)
  }

  /// Rows that are true, and rows that are false (the rest are NULL).
  private static func split(_ v: Vector) -> (Bitmap, Bitmap) {
    let n = v.count
    switch v {
    case .bools(let b, let valid):
      guard let valid else { return (b, b.inverted()) }
      return (b.and(valid), valid.andNot(b))
    case .constant(.bool(let value), _): return (Bitmap(count: n, value: value), Bitmap(count: n, value: !value))
    default: return (Bitmap(count: n), Bitmap(count: n))
    }
  }

  private static func result(_ isTrue: Bitmap, _ isFalse: Bitmap) -> Vector {
    let valid = isTrue.or(isFalse)
    return .bools(isTrue, valid: valid.trueCount == valid.count ? nil : valid)
  }
}
