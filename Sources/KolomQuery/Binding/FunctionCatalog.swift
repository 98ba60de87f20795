// The functions of the language, named as in DuckDB so that every query has a DuckDB
// (and SQLite) equivalent for differential testing: their arity, argument types and
// result types.
import KolomStore

enum FunctionCatalog {
  /// Aggregate names and what they take.
  static let aggregates: [String: String] = [
    "count": "count(*), count(x) or count(DISTINCT x)",
    "sum": "sum(x) of numbers", "avg": "avg(x) of numbers", "min": "min(x)", "max": "max(x)",
    "median": "median(x) of numbers", "quantile_cont": "quantile_cont(x, p) with 0 ≤ p ≤ 1",
    "quantile_disc": "quantile_disc(x, p) with 0 ≤ p ≤ 1",
  ]

  /// Scalar function names and their signatures, for messages and `.help`.
  static let scalars: [String: String] = [
    "year": "year(date)", "quarter": "quarter(date)", "month": "month(date)",
    "days_between": "days_between(from date, to date)", "age_at": "age_at(birth year, date)",
    "cardinality": "cardinality(flag set)", "coalesce": "coalesce(x, y, …)",
  ]

  /// Every function name, for suggestions and completion.
  static var names: [String] { Array(aggregates.keys) + Array(scalars.keys) }

  static func bindScalar(
    _ name: String, arguments: [BoundExpression], expressions: [Expression], at: SourceLocation, binder: Binder
  ) throws -> BoundExpression {
    guard let signature = scalars[name] else {
      throw QueryError.unknownFunction(name, suggestion: Suggestion.nearest(to: name, among: names), at: at)
    }
    func argument(_ i: Int, _ wanted: ValueType) throws -> BoundExpression {
      let a = try binder.coerce(arguments[i], to: wanted, at: expressions[i].location)
      if a.type == .null { return .constant(.null, wanted) }
      guard a.type == wanted else {
        throw QueryError.typeMismatch(
          "\(signature): argument \(i + 1) is \(a.type.withArticle)", at: expressions[i].location)
      }
      return a
    }
    let arity = name == "coalesce" ? max(1, arguments.count) : (["days_between", "age_at"].contains(name) ? 2 : 1)
    guard arguments.count == arity else {
      throw QueryError.typeMismatch("\(signature) takes \(arity) argument\(arity == 1 ? "" : "s")", at: at)
    }
    switch name {
    case "year", "quarter", "month": return .datePart(DatePart(rawValue: name)!, try argument(0, .date))
    case "days_between": return .daysBetween(try argument(0, .date), try argument(1, .date))
    case "age_at": return .ageAt(try argument(0, .int), try argument(1, .date))
    case "cardinality":
      guard case .flags(let set) = arguments[0].type else {
        throw QueryError.typeMismatch("cardinality needs a flag set", at: expressions[0].location)
      }
      return .cardinality(set)
    default:
      let (type, unified) = try binder.unify(arguments, at: at)
      return .coalesce(unified, type)
    }
  }

  static func bindAggregate(
    _ name: String, arguments: [Expression], distinct: Bool, star: Bool, at: SourceLocation,
    bind: (Expression) throws -> BoundExpression
  ) throws -> (function: AggregateFunction, argument: BoundExpression?, type: ValueType) {
    let signature = aggregates[name]!
    if star {
      guard name == "count" else { throw QueryError.typeMismatch("\(name)(*) does not exist; \(signature)", at: at) }
      return (.countStar, nil, .int)
    }
    let expectedArity = name.hasPrefix("quantile") ? 2 : 1
    guard arguments.count == expectedArity else {
      throw QueryError.typeMismatch("\(signature)", at: at)
    }
    let argument = try bind(arguments[0])
    let type = argument.type
    if case .flags(let set) = type {
      throw QueryError.typeMismatch(
        "\(name) of a flag set: use EACH(\(set.column)) as a key, or cardinality(\(set.column))",
        at: arguments[0].location)
    }
    let numeric = type.isNumeric || type == .null
    switch name {
    case "count": return (.count, argument, .int)
    case "sum", "avg", "median":
      guard numeric else {
        throw QueryError.typeMismatch("\(signature), not of \(type.withArticle)", at: arguments[0].location)
      }
      if name == "sum" { return (.sum, argument, type == .double ? .double : .int) }
      return (name == "avg" ? .avg : .quantileContinuous(0.5), argument, .double)
    case "min", "max":
      if case .id = type { throw QueryError.typeMismatch("\(name) of a pseudonym means nothing", at: at) }
      return (name == "min" ? .min : .max, argument, type == .null ? .int : type)
    default:
      guard case .constant(let p, _) = try bind(arguments[1]), let fraction = p.asDouble, (0...1).contains(fraction)
      else {
        throw QueryError.typeMismatch("\(name) needs a constant fraction p, 0 ≤ p ≤ 1", at: arguments[1].location)
      }
      if name == "quantile_cont" {
        guard numeric else {
          throw QueryError.typeMismatch("\(signature), not of \(type.withArticle)", at: arguments[0].location)
        }
        return (.quantileContinuous(fraction), argument, .double)
      }
      guard numeric || type == .date else {
        throw QueryError.typeMismatch("\(signature), not of \(type.withArticle)", at: arguments[0].location)
      }
      return (.quantileDiscrete(fraction), argument, type == .null ? .int : type)
    }
  }
}

extension Scalar {
  /// The number in this scalar, if it is one.
  var asDouble: Double? {
    switch self {
    case .int(let v): Double(v)
    case .double(let v): v
    default: nil
    }
  }
}
