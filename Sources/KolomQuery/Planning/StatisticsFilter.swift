// What statistics alone say about a condition over a set of rows (a file, from its
// manifest dates; a row group, from its exact chunk statistics): whether it can be
// true, false or NULL there. A part that cannot be true is skipped unread; a part
// where it must be true needs no filtering.
import KolomFormat
import KolomStore

/// Where the statistics of a part come from.
protocol PartStatistics {
  /// Rows in the part.
  var rows: Int { get }
  /// The exact statistics of physical column `physical` over the part, if known.
  func statistics(_ physical: Int) -> ChunkStatistics?
}

/// What a condition can be on some row of a part.
struct Possibility: Equatable {
  var mayBeTrue: Bool
  var mayBeFalse: Bool
  var mayBeNull: Bool

  static let unknown = Possibility(mayBeTrue: true, mayBeFalse: true, mayBeNull: true)

  /// True on every row.
  var isAlwaysTrue: Bool { !mayBeFalse && !mayBeNull }
}

enum StatisticsFilter {
  /// What `e` can be over the part.
  static func evaluate(_ e: BoundExpression, _ part: some PartStatistics) -> Possibility {
    switch e {
    case .constant(.bool(let v), _): return Possibility(mayBeTrue: v, mayBeFalse: !v, mayBeNull: false)
    case .constant(.null, _): return Possibility(mayBeTrue: false, mayBeFalse: false, mayBeNull: true)
    case .and(let a, let b):
      let (x, y) = (evaluate(a, part), evaluate(b, part))
      return Possibility(
        mayBeTrue: x.mayBeTrue && y.mayBeTrue, mayBeFalse: x.mayBeFalse || y.mayBeFalse,
        mayBeNull: x.mayBeNull || y.mayBeNull)
    case .or(let a, let b):
      let (x, y) = (evaluate(a, part), evaluate(b, part))
      return Possibility(
        mayBeTrue: x.mayBeTrue || y.mayBeTrue, mayBeFalse: x.mayBeFalse && y.mayBeFalse,
        mayBeNull: x.mayBeNull || y.mayBeNull)
    case .not(let a):
      let x = evaluate(a, part)
      return Possibility(mayBeTrue: x.mayBeFalse, mayBeFalse: x.mayBeTrue, mayBeNull: x.mayBeNull)
    case .compare(let op, let a, .constant(let k, _)): return compare(a, op, k, part)
    case .compare(let op, .constant(let k, _), let b): return compare(b, op.swapped, k, part)
    case .inSet(let a, let set, let negated):
      let p = member(a, set, part)
      return negated ? Possibility(mayBeTrue: p.mayBeFalse, mayBeFalse: p.mayBeTrue, mayBeNull: p.mayBeNull) : p
    case .isNull(let a, let negated):
      guard let r = range(a, part) else { return .unknown }
      let nullable = Possibility(mayBeTrue: r.nulls > 0, mayBeFalse: r.nulls < part.rows, mayBeNull: false)
      return negated
        ? Possibility(mayBeTrue: nullable.mayBeFalse, mayBeFalse: nullable.mayBeTrue, mayBeNull: false) : nullable
    case .column(let p, .bool):
      guard let s = part.statistics(p) else { return .unknown }
      return Possibility(
        mayBeTrue: s.trueCount > 0, mayBeFalse: s.trueCount < part.rows - s.nullCount, mayBeNull: s.nullCount > 0)
    case .has(let set, let flags, let all): return has(set, flags, all: all, part)
    default: return .unknown
    }
  }

  /// The value of `e` when it is the same on every row of the part (NULL included), else nil.
  static func constant(_ e: BoundExpression, _ part: some PartStatistics) -> Scalar? {
    switch e {
    case .constant(let s, _): return s
    case .column, .datePart:
      guard let r = range(e, part) else { return nil }
      if r.nulls == part.rows { return .null }
      return r.nulls == 0 && r.low == r.high ? .int(r.low) : nil
    default: return nil
    }
  }

  /// The range of an int-like expression over the part: a column, or a part of a date column.
  private static func range(_ e: BoundExpression, _ part: some PartStatistics)
    -> (low: Int64, high: Int64, nulls: Int, presence: Bitmap?)?
  {
    switch e {
    case .column(let p, let type) where type != .double && type != .bool && !isID(type):
      guard let s = part.statistics(p) else { return nil }
      return (s.min, s.max, s.nullCount, s.presence)
    case .datePart(let datePart, .column(let p, .date)):
      guard let s = part.statistics(p) else { return nil }
      let (low, high) = (CivilDate(days: s.min), CivilDate(days: s.max))
      switch datePart {
      case .year: return (Int64(low.year), Int64(high.year), s.nullCount, nil)
      case .month where low.year == high.year: return (Int64(low.month), Int64(high.month), s.nullCount, nil)
      case .quarter where low.year == high.year:
        return (Int64((low.month - 1) / 3 + 1), Int64((high.month - 1) / 3 + 1), s.nullCount, nil)
      default: return (datePart == .month ? 1 : 1, datePart == .month ? 12 : 4, s.nullCount, nil)
      }
    default: return nil
    }
  }

  private static func isID(_ type: ValueType) -> Bool { if case .id = type { true } else { false } }

  private static func compare(_ a: BoundExpression, _ op: ComparisonOperator, _ k: Scalar, _ part: some PartStatistics)
    -> Possibility
  {
    guard case .int(let key) = k, let r = range(a, part) else {
      return k == .null ? Possibility(mayBeTrue: false, mayBeFalse: false, mayBeNull: true) : .unknown
    }
    if r.nulls == part.rows { return Possibility(mayBeTrue: false, mayBeFalse: false, mayBeNull: true) }
    let present =
      r.presence.map { key >= 0 && key < Int64($0.count) && $0[Int(key)] } ?? (key >= r.low && key <= r.high)
    let onlyKey = r.low == key && r.high == key
    let mayBeTrue: Bool
    let mayBeFalse: Bool
    switch op {
    case .equal: (mayBeTrue, mayBeFalse) = (present, !onlyKey)
    case .notEqual: (mayBeTrue, mayBeFalse) = (!onlyKey, present)
    case .less: (mayBeTrue, mayBeFalse) = (r.low < key, r.high >= key)
    case .lessOrEqual: (mayBeTrue, mayBeFalse) = (r.low <= key, r.high > key)
    case .greater: (mayBeTrue, mayBeFalse) = (r.high > key, r.low <= key)
    case .greaterOrEqual: (mayBeTrue, mayBeFalse) = (r.high >= key, r.low < key)
    }
    return Possibility(mayBeTrue: mayBeTrue, mayBeFalse: mayBeFalse, mayBeNull: r.nulls > 0)
  }

  private static func member(_ a: BoundExpression, _ set: [Scalar], _ part: some PartStatistics) -> Possibility {
    let keys = set.compactMap { if case .int(let v) = $0 { v } else { nil } }
    guard keys.count == set.count, let r = range(a, part) else { return .unknown }
    if r.nulls == part.rows { return Possibility(mayBeTrue: false, mayBeFalse: false, mayBeNull: true) }
    let inSet = Set(keys)
    let mayBeTrue: Bool
    let mayBeFalse: Bool
    if let presence = r.presence {
      mayBeTrue = keys.contains { $0 >= 0 && $0 < Int64(presence.count) && presence[Int($0)] }
      var outside = false
      presence.forEachSetBit { if !inSet.contains(Int64($0)) { outside = true } }
      mayBeFalse = outside
    } else {
      mayBeTrue = keys.contains { $0 >= r.low && $0 <= r.high }
      mayBeFalse = r.high - r.low > 4096 || !(r.low...r.high).allSatisfy(inSet.contains)
    }
    return Possibility(mayBeTrue: mayBeTrue, mayBeFalse: mayBeFalse, mayBeNull: r.nulls > 0)
  }

  private static func has(_ set: FlagSet, _ flags: [Int], all: Bool, _ part: some PartStatistics) -> Possibility {
    let counts = flags.map { part.statistics(set.first + $0)?.trueCount }
    guard counts.allSatisfy({ $0 != nil }) else { return .unknown }
    let trueCounts = counts.map { $0! }
    let absent = set.presence.flatMap { part.statistics($0) }.map { part.rows - $0.trueCount } ?? 0
    let everyRow = part.rows
    let mayBeTrue = all ? trueCounts.allSatisfy { $0 > 0 } : trueCounts.contains { $0 > 0 }
    let alwaysTrue = all ? trueCounts.allSatisfy { $0 == everyRow } : trueCounts.contains { $0 == everyRow }
    return Possibility(mayBeTrue: mayBeTrue, mayBeFalse: !alwaysTrue && absent < everyRow, mayBeNull: absent > 0)
  }
}
