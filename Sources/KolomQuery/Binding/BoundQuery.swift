// The binder's output: a query whose every name, literal and type is resolved, in the
// parts the planner arranges into operators.

/// An aggregate function.
enum AggregateFunction: Sendable, Equatable {
  case countStar, count, sum, avg, min, max
  /// Exact quantile with linear interpolation between the two nearest values (DuckDB's
  /// `quantile_cont`, Hyndman–Fan type 7); `median` is `quantileContinuous(0.5)`.
  case quantileContinuous(Double)
  /// Exact quantile: the value at position ⌈p·n⌉ (DuckDB's `quantile_disc`).
  case quantileDiscrete(Double)
}

/// One aggregate of the query.
struct BoundAggregate: Sendable {
  var function: AggregateFunction
  /// Nil for count(*).
  var argument: BoundExpression?
  var distinct: Bool
  /// FILTER (WHERE …): only rows where it is true count.
  var filter: BoundExpression?
  /// The type of the result.
  var type: ValueType
  /// As written, for EXPLAIN.
  var text: String
}

/// A GROUP BY key.
enum BoundGroupKey: Sendable {
  case expression(BoundExpression, text: String)
  /// One group per flag; with `keepEmpty`, records without any flag form a NULL group.
  case each(FlagSet, keepEmpty: Bool, dictionary: TextDictionary)

  var type: ValueType {
    switch self {
    case .expression(let e, _): e.type
    case .each(_, _, let dictionary): .text(dictionary)
    }
  }

  var text: String {
    switch self {
    case .expression(_, let text): text
    case .each(let set, let keepEmpty, _): "EACH(\(set.column)\(keepEmpty ? " KEEP EMPTY" : ""))"
    }
  }
}

/// A result column: an expression, or (in row queries) a flag set shown as its flags.
enum OutputSource: Sendable {
  case expression(BoundExpression)
  case flags(FlagSet)

  var type: ValueType {
    switch self {
    case .expression(let e): e.type
    case .flags(let set): .flags(set)
    }
  }
}

/// One result column.
struct OutputColumn: Sendable {
  var name: String
  var source: OutputSource
}

/// One ORDER BY item, over the same values as the outputs.
struct BoundOrder: Sendable {
  var expression: BoundExpression
  var descending: Bool
  var nullsFirst: Bool
}

/// A bound SELECT.
struct BoundQuery: Sendable {
  var explain = false
  /// WHERE, over physical columns.
  var filter: BoundExpression?
  /// Whether the query groups (GROUP BY or an aggregate); otherwise it returns rows.
  var isAggregate = false
  var keys: [BoundGroupKey] = []
  /// Which keys each grouping set uses (one set of all keys unless ROLLUP).
  var groupingSets: [[Int]] = []
  var aggregates: [BoundAggregate] = []
  /// Over `.grouped(i)` (keys first, then aggregates) when aggregating, else over columns.
  var outputs: [OutputColumn] = []
  var having: BoundExpression?
  var order: [BoundOrder] = []
  var limit: Int?
  var offset: Int?
  var limitBy: [BoundExpression] = []

  /// The physical columns the scan must read.
  var scannedColumns: Set<Int> {
    var columns = filter?.columns ?? []
    for key in keys {
      switch key {
      case .expression(let e, _): columns.formUnion(e.columns)
      case .each(let set, _, _):
        columns.formUnion((0..<set.codes.count).map { set.first + $0 })
        if let p = set.presence { columns.insert(p) }
      }
    }
    for aggregate in aggregates {
      columns.formUnion(aggregate.argument?.columns ?? [])
      columns.formUnion(aggregate.filter?.columns ?? [])
    }
    if !isAggregate {
      for output in outputs {
        switch output.source {
        case .expression(let e): columns.formUnion(e.columns)
        case .flags(let set):
          columns.formUnion((0..<set.codes.count).map { set.first + $0 })
          if let p = set.presence { columns.insert(p) }
        }
      }
      for item in order { columns.formUnion(item.expression.columns) }
      for e in limitBy { columns.formUnion(e.columns) }
    }
    return columns
  }
}
