// The syntax tree of a query, as the parser reads it: names are still names and
// literals still text; the binder gives them meaning.

/// A literal as written.
enum Literal: Sendable, Equatable {
  case null
  case bool(Bool)
  case integer(Int64)
  case decimal(Double)
  case string(String)
  /// DATE 'YYYY-MM-DD'.
  case date(String)
  /// X'…'.
  case bytes([UInt8])
}

/// An expression and where it starts.
struct Expression: Sendable, Equatable {
  indirect enum Kind: Sendable, Equatable {
    case literal(Literal)
    case parameter(String)
    case column(String)
    /// `-x`.
    case negate(Expression)
    case not(Expression)
    /// Arithmetic, comparison, AND, OR: the operator as written, upper-cased.
    case binary(String, Expression, Expression)
    case inList(Expression, [Expression], negated: Bool)
    case between(Expression, Expression, Expression, negated: Bool)
    case isNull(Expression, negated: Bool)
    /// `set HAS 'x'` (`.one`), `HAS ANY (…)`, `HAS ALL (…)`.
    case has(Expression, HasMode, [Expression])
    /// `name(args)`, `count(*)` (star), `count(DISTINCT x)`, with an optional FILTER.
    case call(name: String, arguments: [Expression], distinct: Bool, star: Bool, filter: Expression?)
    case caseWhen([WhenClause], otherwise: Expression?)
    /// `EACH(flagset [KEEP EMPTY])`.
    case each(String, keepEmpty: Bool)
  }

  var kind: Kind
  var location: SourceLocation
}

/// `WHEN condition THEN value`.
struct WhenClause: Sendable, Equatable {
  var condition: Expression
  var value: Expression
}

/// Which flags `HAS` asks for.
enum HasMode: Sendable, Equatable {
  case one, any, all
}

/// One item of the select list.
struct SelectItem: Sendable, Equatable {
  var expression: Expression
  var alias: String?
}

/// What GROUP BY says.
enum Grouping: Sendable, Equatable {
  case none
  /// GROUP BY ALL: every select item without an aggregate.
  case all(SourceLocation)
  case keys([Expression])
  /// GROUP BY ROLLUP (a, b): the groups (a, b), (a) and ().
  case rollup([Expression])
}

/// One ORDER BY item.
struct OrderItem: Sendable, Equatable {
  var expression: Expression
  var descending: Bool
  /// Nil: NULLS LAST, as DuckDB.
  var nullsFirst: Bool?
}

/// A whole statement: SELECT … FROM cases …, perhaps after EXPLAIN.
struct SelectStatement: Sendable, Equatable {
  var explain = false
  /// Nil for `SELECT *`.
  var items: [SelectItem]?
  var starLocation: SourceLocation?
  var table: String
  var tableLocation: SourceLocation
  var filter: Expression?
  var grouping: Grouping = .none
  var having: Expression?
  var order: [OrderItem] = []
  var limit: Int?
  /// LIMIT n BY these: at most n rows per distinct value of them.
  var limitBy: [Expression] = []
  var offset: Int?
}
