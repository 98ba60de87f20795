// Bound expressions: names resolved to physical columns (or to group keys and
// aggregates after grouping), literals to run-time scalars, every node typed. The
// evaluator runs them a row group (or a table of groups) at a time.

/// A constant in run-time form: text as a dictionary index, a date as days.
enum Scalar: Sendable, Hashable {
  case null
  case int(Int64)
  case double(Double)
  case bool(Bool)
  case bytes([UInt8])
}

/// Arithmetic operators.
enum ArithmeticOperator: String, Sendable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case remainder = "%"
}

/// Comparison operators.
enum ComparisonOperator: String, Sendable {
  case equal = "="
  case notEqual = "<>"
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="

  /// The operator with its operands swapped (a < b ⇔ b > a).
  var swapped: ComparisonOperator {
    switch self {
    case .equal, .notEqual: self
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    }
  }
}

/// Date parts.
enum DatePart: String, Sendable {
  case year, quarter, month
}

/// A typed expression ready to evaluate.
indirect enum BoundExpression: Sendable {
  /// A physical column of the segment (int, date, code or id values).
  case column(Int, ValueType)
  /// Result column `i` of the group table: a group key or an aggregate.
  case grouped(Int, ValueType)
  case constant(Scalar, ValueType)
  case negate(BoundExpression)
  case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression, ValueType)
  /// Both sides are int-like (int, date, text rank), both double, both bool, or both bytes.
  case compare(ComparisonOperator, BoundExpression, BoundExpression)
  case and(BoundExpression, BoundExpression)
  case or(BoundExpression, BoundExpression)
  case not(BoundExpression)
  case isNull(BoundExpression, negated: Bool)
  /// Membership in a list of constants of the operand's run-time form.
  case inSet(BoundExpression, [Scalar], negated: Bool)
  /// `set HAS ANY` (all: false) or `HAS ALL` (all: true) of the flags at these positions.
  case has(FlagSet, [Int], all: Bool)
  case cardinality(FlagSet)
  case datePart(DatePart, BoundExpression)
  /// `days_between(a, b)`: b − a in days.
  case daysBetween(BoundExpression, BoundExpression)
  /// `age_at(birth year, date)`: whole years from the birth year to the date's year.
  case ageAt(BoundExpression, BoundExpression)
  case coalesce([BoundExpression], ValueType)
  case caseWhen([(BoundExpression, BoundExpression)], otherwise: BoundExpression?, ValueType)
  /// Text indices mapped through `table` (into another dictionary, or to ranks).
  case remap(BoundExpression, [Int64], ValueType)
  case toDouble(BoundExpression)

  /// The type of the expression's values.
  var type: ValueType {
    switch self {
    case .column(_, let t), .grouped(_, let t), .constant(_, let t), .arithmetic(_, _, _, let t),
      .coalesce(_, let t), .caseWhen(_, _, let t), .remap(_, _, let t):
      t
    case .negate(let e): e.type
    case .compare, .and, .or, .not, .isNull, .inSet, .has: .bool
    case .cardinality, .datePart, .daysBetween, .ageAt: .int
    case .toDouble: .double
    }
  }

  /// The physical columns the expression reads.
  var columns: Set<Int> {
    switch self {
    case .column(let c, _): [c]
    case .grouped, .constant: []
    case .has(let set, let flags, _): Set(flags.map { set.first + $0 } + (set.presence.map { [$0] } ?? []))
    case .cardinality(let set): Set((0..<set.codes.count).map { set.first + $0 } + (set.presence.map { [$0] } ?? []))
    default: children.reduce(into: Set<Int>()) { $0.formUnion($1.columns) }
    }
  }

  /// The expressions directly inside this one.
  var children: [BoundExpression] {
    switch self {
    case .column, .grouped, .constant, .has, .cardinality: []
    case .negate(let e), .not(let e), .isNull(let e, _), .inSet(let e, _, _), .datePart(_, let e),
      .remap(let e, _, _), .toDouble(let e):
      [e]
    case .arithmetic(_, let a, let b, _), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b),
      .daysBetween(let a, let b), .ageAt(let a, let b):
      [a, b]
    case .coalesce(let list, _): list
    case .caseWhen(let clauses, let otherwise, _): clauses.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
    }
  }
}
