// Evaluator: a bound expression over a whole batch at once, column in, column out,
// with SQL's NULL rules (three-valued logic; NULL in, NULL out).
import KolomFormat
import KolomStore

/// The rows an expression is evaluated over.
protocol Batch {
  /// The number of rows.
  var count: Int { get }
  /// Physical column `physical` of a row group.
  func column(_ physical: Int) throws -> Vector
  /// Column `index` of the table of groups (keys, then aggregates).
  func grouped(_ index: Int) -> Vector
  /// Whether each row of physical column `physical` holds a value `accept` takes (NULL
  /// where it is NULL), tested where the column lies packed; nil when it cannot be.
  func test(_ physical: Int, _ accept: (Int64) -> Bool) throws -> Vector?
}

enum Evaluator {
  /// The values of `e` over `batch`.
  /// - Complexity: O(rows × nodes).
  static func evaluate(_ e: BoundExpression, _ batch: some Batch) throws -> Vector {
    if let tested = try testInPlace(e, batch) { return tested }
    let n = batch.count
    switch e {
    case .column(let p, _): return try batch.column(p)
    case .grouped(let i, _): return batch.grouped(i)
    case .constant(let s, _): return .constant(s, count: n)
    case .negate(let a): return negate(try evaluate(a, batch))
    case .arithmetic(let op, let a, let b, let type):
      return Arithmetic.apply(op, try evaluate(a, batch), try evaluate(b, batch), type: type)
    case .compare(let op, let a, let b): return Comparison.apply(op, try evaluate(a, batch), try evaluate(b, batch))
    case .and(let a, let b): return Logic.and(try evaluate(a, batch), try evaluate(b, batch))
    case .or(let a, let b): return Logic.or(try evaluate(a, batch), try evaluate(b, batch))
    case .not(let a): return Logic.not(try evaluate(a, batch))
    case .isNull(let a, let negated):
      let valid = try evaluate(a, batch).validity
      let isNull = valid.map { $0.inverted() } ?? Bitmap(count: n)
      return .bools(negated ? isNull.inverted() : isNull, valid: nil)
    case .inSet(let a, let set, let negated): return Comparison.member(try evaluate(a, batch), set, negated: negated)
    case .has(let set, let flags, let all): return try Flags.has(set, flags, all: all, batch)
    case .cardinality(let set): return try Flags.cardinality(set, batch)
    case .datePart(let part, let a): return Dates.part(part, try evaluate(a, batch))
    case .daysBetween(let a, let b):
      return Arithmetic.apply(.subtract, try evaluate(b, batch), try evaluate(a, batch), type: .int)
    case .ageAt(let birth, let date):
      return Arithmetic.apply(
        .subtract, Dates.part(.year, try evaluate(date, batch)), try evaluate(birth, batch), type: .int)
    case .coalesce(let list, _): return try coalesce(list.map { try evaluate($0, batch) }, n)
    case .caseWhen(let clauses, let otherwise, _):
      return try caseWhen(clauses, otherwise, batch)
    case .remap(let a, let table, _): return remap(try evaluate(a, batch), table)
    case .toDouble(let a):
      let v = try evaluate(a, batch)
      if case .constant(let s, let count) = v { return .constant(s.asDouble.map(Scalar.double) ?? .null, count: count) }
      return .doubles(v.doubles(), valid: v.validity)
    }
  }

  /// A column compared with an integer (a code, a date, a number), or its membership in
  /// a list of them, tested on the packed column without decoding it, where it can be.
  private static func testInPlace(_ e: BoundExpression, _ batch: some Batch) throws -> Vector? {
    switch e {
    case .compare(let op, .column(let p, _), .constant(.int(let k), _)):
      return try batch.test(p) { Comparison.holds(op, $0, k) }
    case .compare(let op, .constant(.int(let k), _), .column(let p, _)):
      return try batch.test(p) { Comparison.holds(op.swapped, $0, k) }
    case .inSet(.column(let p, _), let set, let negated):
      let keys = set.compactMap { if case .int(let v) = $0 { v } else { nil } }
      guard keys.count == set.count else { return nil }
      let lookup = Set(keys)
      return try batch.test(p) { lookup.contains($0) != negated }
    default:
      return nil
    }
  }

  private static func negate(_ v: Vector) -> Vector {
    switch v {
    case .ints(let a, let valid): return .ints(a.map { 0 &- $0 }, valid: valid)
    case .doubles(let a, let valid): return .doubles(a.map { -$0 }, valid: valid)
    case .constant(.int(let a), let n): return .constant(.int(0 &- a), count: n)
    case .constant(.double(let a), let n): return .constant(.double(-a), count: n)
    default: return v
    }
  }

  private static func remap(_ v: Vector, _ table: [Int64]) -> Vector {
    switch v {
    case .constant(.int(let i), let n):
      return .constant(i >= 0 && Int(i) < table.count ? .int(table[Int(i)]) : .null, count: n)
    case .constant: return v
    default:
      let values = v.integers()
      return .ints(values.map { $0 >= 0 && Int($0) < table.count ? table[Int($0)] : -1 }, valid: v.validity)
    }
  }

  private static func coalesce(_ vectors: [Vector], _ n: Int) throws -> Vector {
    var result = vectors[0]
    for next in vectors.dropFirst() {
      guard let valid = result.validity else { return result }
      result = choose(valid, result, next, n)
    }
    return result
  }

  private static func caseWhen(
    _ clauses: [(BoundExpression, BoundExpression)], _ otherwise: BoundExpression?, _ batch: some Batch
  ) throws -> Vector {
    let n = batch.count
    var result = try otherwise.map { try evaluate($0, batch) } ?? .constant(.null, count: n)
    // The first true condition wins, so apply the clauses from the last to the first.
    for (condition, value) in clauses.reversed() {
      let truth = try evaluate(condition, batch).truths()
      result = choose(truth, try evaluate(value, batch), result, n)
    }
    return result
  }

  /// Row by row: `a` where `mask` is set, else `b` (both of one type).
  static func choose(_ mask: Bitmap, _ a: Vector, _ b: Vector, _ n: Int) -> Vector {
    if case .bytes = a {
      return .bytes(
        (0..<n).flatMap { mask[$0] ? bytes(a, $0) : bytes(b, $0) }, width: width(a, b),
        valid: Bitmap((0..<n).map { mask[$0] ? a.validity?[$0] ?? true : b.validity?[$0] ?? true }))
    }
    let valid = Bitmap(
      words: zip(
        zip(mask.words, a.validity?.words ?? mask.words.map { _ in ~0 }),
        b.validity?.words ?? mask.words.map { _ in ~0 }
      )
      .map { pair, bValid in (pair.0 & pair.1) | (~pair.0 & bValid) }, count: n)
    let anyNull = valid.trueCount < n
    switch (a, b) {
    case (.doubles, _), (_, .doubles), (.constant(.double, _), _), (_, .constant(.double, _)):
      let x = a.doubles()
      let y = b.doubles()
      return .doubles((0..<n).map { mask[$0] ? x[$0] : y[$0] }, valid: anyNull ? valid : nil)
    case (.bools, _), (_, .bools), (.constant(.bool, _), _), (_, .constant(.bool, _)):
      let x = a.truthsIgnoringNull()
      let y = b.truthsIgnoringNull()
      return .bools(x.and(mask).or(y.andNot(mask)), valid: anyNull ? valid : nil)
    default:
      let x = a.integers()
      let y = b.integers()
      return .ints((0..<n).map { mask[$0] ? x[$0] : y[$0] }, valid: anyNull ? valid : nil)
    }
  }

  private static func bytes(_ v: Vector, _ row: Int) -> [UInt8] {
    if case .bytes(let b, let w, _) = v { return Array(b[(row * w)..<(row * w + w)]) }
    if case .constant(.bytes(let b), _) = v { return b }
    return []
  }

  private static func width(_ a: Vector, _ b: Vector) -> Int {
    if case .bytes(_, let w, _) = a { return w }
    if case .bytes(_, let w, _) = b { return w }
    return 1
  }
}

extension Vector {
  /// The stored truth bits, NULL rows included as whatever they hold.
  func truthsIgnoringNull() -> Bitmap {
    switch self {
    case .bools(let b, _): b
    case .constant(.bool(let v), let n): Bitmap(count: n, value: v)
    case .constant(_, let n): Bitmap(count: n)
    default: preconditionFailure("truths of a non-boolean vector")
    }
  }
}
