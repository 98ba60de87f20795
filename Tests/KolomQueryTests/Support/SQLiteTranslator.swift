// SQLiteTranslator: a query of Kolom's language as SQLite SQL over SQLiteOracle's
// tables, so that any query (script or random) can be checked against SQLite.
// EACH becomes a join with `each_<set>`, HAS a test of 0/1 flag columns, ROLLUP a
// UNION ALL of its grouping sets (subtotals over EACH without the join, so they
// count cases), LIMIT n BY a row_number() window, quantiles the oracle's aggregates.
import Kolom

@testable import KolomQuery

/// A translated query.
struct SQLiteTranslation {
  var sql: String
  /// The query has ORDER BY: compare rows in order, not as multisets.
  var ordered: Bool
}

struct SQLiteTranslator {
  let schema: Schema
  var parameters: [String: Value] = [:]

  /// `text` as SQLite SQL.
  func translate(_ text: String) throws -> SQLiteTranslation {
    let statement = try Parser.parse(text)
    let origin = SourceLocation(line: 1, column: 1, offset: 0)
    let items =
      statement.items
      ?? schema.columns.map { SelectItem(expression: Expression(kind: .column($0.name), location: origin), alias: nil) }
    let isAggregate =
      items.contains { containsAggregate($0.expression) } || statement.grouping != .none || statement.having != nil
    var keys: [Expression] = []
    var rollup = false
    switch statement.grouping {
    case .none: break
    case .all: keys = items.map(\.expression).filter { !containsAggregate($0) }
    case .keys(let list): keys = list.map { groupKey($0, items) }
    case .rollup(let list):
      keys = list.map { groupKey($0, items) }
      rollup = true
    }
    var seen: Set<String> = []
    keys = keys.filter { seen.insert($0.text).inserted }
    let sets = rollup ? (0...keys.count).reversed().map { Array(keys.prefix($0)) } : [keys]

    // Order and LIMIT BY items that are select items are named by position; others ride along hidden.
    var hidden: [Expression] = []
    func outputName(_ e: Expression, aliasFirst: Bool) -> String {
      if case .literal(.integer(let n)) = e.kind { return "c\(n)" }
      if case .column(let name) = e.kind, aliasFirst || index(of: name) == nil,
        let i = items.firstIndex(where: { $0.alias?.lowercased() == name.lowercased() })
      {
        return "c\(i + 1)"
      }
      if let i = items.firstIndex(where: { $0.expression.text == e.text }) { return "c\(i + 1)" }
      hidden.append(e)
      return "h\(hidden.count)"
    }
    var order = statement.order.map { item in
      "\(outputName(item.expression, aliasFirst: true))\(item.descending ? " DESC" : "")"
        + ((item.nullsFirst ?? false) ? " NULLS FIRST" : " NULLS LAST")
    }
    let limitBy = statement.limitBy.map { outputName($0, aliasFirst: true) }
    if order.isEmpty && isAggregate && !limitBy.isEmpty {
      order = keys.map { outputName($0, aliasFirst: false) + " NULLS LAST" }
    }
    // Kolom breaks ties by the output columns.
    order += items.indices.map { "c\($0 + 1) NULLS LAST" }

    let selects = try sets.map { set in
      try select(statement, items: items, hidden: hidden, keys: keys, set: set, grouped: isAggregate)
    }
    let outputs = items.indices.map { "c\($0 + 1)" }.joined(separator: ", ")
    var sql = "SELECT \(outputs) FROM (\(selects.joined(separator: " UNION ALL ")))"
    if !limitBy.isEmpty, let limit = statement.limit {
      sql =
        "SELECT \(outputs) FROM (SELECT *, row_number() OVER (PARTITION BY \(limitBy.joined(separator: ", ")) "
        + "ORDER BY \(order.joined(separator: ", "))) AS kq_rank FROM (\(selects.joined(separator: " UNION ALL ")))) "
        + "WHERE kq_rank <= \(limit)"
    }
    sql += " ORDER BY \(order.joined(separator: ", "))"
    if statement.limitBy.isEmpty, let limit = statement.limit {
      sql += " LIMIT \(limit)"
    } else if statement.offset != nil {
      sql += " LIMIT -1"
    }
    if let offset = statement.offset { sql += " OFFSET \(offset)" }
    return SQLiteTranslation(sql: sql, ordered: !statement.order.isEmpty)
  }

  /// One grouping set's SELECT: the keys outside `set` are NULL.
  private func select(
    _ statement: SelectStatement, items: [SelectItem], hidden: [Expression], keys: [Expression], set: [Expression],
    grouped: Bool
  ) throws -> String {
    let absent = Set(keys.filter { key in !set.contains { $0.text == key.text } }.map(\.text))
    let each = set.compactMap { key -> (String, Bool)? in
      if case .each(let name, let keep) = key.kind { return (name, keep) }
      return nil
    }.first
    func output(_ e: Expression) throws -> String {
      absent.contains(e.text) ? "NULL" : try sql(e, items)
    }
    var columns = try items.enumerated().map { "\(try output($1.expression)) AS c\($0 + 1)" }
    columns += try hidden.enumerated().map { "\(try output($1)) AS h\($0 + 1)" }
    var text = "SELECT \(columns.joined(separator: ", ")) FROM cases c"
    if let (name, keep) = each {
      text += " \(keep ? "LEFT " : "")JOIN \"each_\(name.lowercased())\" e ON e.row = c.row"
    }
    if let filter = statement.filter { text += " WHERE \(try sql(filter, items))" }
    if grouped && !set.isEmpty { text += " GROUP BY \(try set.map { try sql($0, items) }.joined(separator: ", "))" }
    if let having = statement.having { text += " HAVING \(try sql(having, items))" }
    return text
  }

  /// A GROUP BY item: a position or an alias (that is not a column) stands for the select item.
  private func groupKey(_ e: Expression, _ items: [SelectItem]) -> Expression {
    if case .literal(.integer(let n)) = e.kind { return items[Int(n) - 1].expression }
    if case .column(let name) = e.kind, index(of: name) == nil,
      let item = items.first(where: { $0.alias?.lowercased() == name.lowercased() })
    {
      return item.expression
    }
    return e
  }

  /// The schema column called `name`, whatever its case.
  private func index(of name: String) -> Int? {
    schema.columns.firstIndex { $0.name.lowercased() == name.lowercased() }
  }

  private func containsAggregate(_ e: Expression) -> Bool {
    if case .call(let name, _, _, _, _) = e.kind, FunctionCatalog.aggregates[name.lowercased()] != nil { return true }
    return e.children.contains(where: containsAggregate)
  }

  // MARK: Expressions

  private func sql(_ e: Expression, _ items: [SelectItem]) throws -> String {
    let s = { (x: Expression) throws -> String in try sql(x, items) }
    switch e.kind {
    case .literal(let literal): return self.literal(literal)
    case .parameter(let name):
      guard let value = parameters[name] else { throw OracleError("no value for :\(name)") }
      return literal(value)
    case .column(let name):
      guard let i = index(of: name) else {
        // An alias in HAVING stands for its select item.
        guard let item = items.first(where: { $0.alias?.lowercased() == name.lowercased() }) else {
          throw OracleError("unknown column \(name)")
        }
        return try s(item.expression)
      }
      if case .flags = schema.columns[i].type { return "c.\"\(schema.columns[i].name)__text\"" }
      return "c.\"\(schema.columns[i].name)\""
    case .negate(let a): return "(- \(try s(a)))"
    case .not(let a): return "(NOT \(try s(a)))"
    case .binary(let op, let a, let b):
      if op == "/" { return "(CAST(\(try s(a)) AS REAL) / \(try s(b)))" }
      return "(\(try s(a)) \(op == "!=" ? "<>" : op) \(try s(b)))"
    case .inList(let a, let list, let negated):
      return "(\(try s(a))\(negated ? " NOT" : "") IN (\(try list.map(s).joined(separator: ", "))))"
    case .between(let a, let low, let high, let negated):
      return "(\(try s(a))\(negated ? " NOT" : "") BETWEEN \(try s(low)) AND \(try s(high)))"
    case .isNull(let a, let negated): return "(\(try s(a)) IS \(negated ? "NOT " : "")NULL)"
    case .has(let set, let mode, let flags):
      guard case .column(let name) = set.kind else { throw OracleError("HAS on \(set.text)") }
      let tests = try flags.map { flag -> String in
        guard case .literal(.string(let code)) = flag.kind else { throw OracleError("HAS \(flag.text)") }
        return "c.\"\(name.lowercased())__\(code)\" = 1"
      }
      return "(\(tests.joined(separator: mode == .all ? " AND " : " OR ")))"
    case .call(let name, let arguments, let distinct, let star, let filter):
      let call = try function(name.lowercased(), arguments.map(s), distinct: distinct, star: star, arguments)
      return try filter.map { "\(call) FILTER (WHERE \(try s($0)))" } ?? call
    case .caseWhen(let clauses, let otherwise):
      let whens = try clauses.map { "WHEN \(try s($0.condition)) THEN \(try s($0.value))" }
      return "(CASE \(whens.joined(separator: " "))\(try otherwise.map { " ELSE \(try s($0))" } ?? "") END)"
    case .each: return "e.flag"
    }
  }

  private func function(
    _ name: String, _ args: [String], distinct: Bool, star: Bool, _ expressions: [Expression]
  ) throws -> String {
    let d = distinct ? "DISTINCT " : ""
    func year(_ x: String) -> String { "CAST(strftime('%Y', \(x)) AS INTEGER)" }
    switch name {
    case "count" where star: return "count(*)"
    case "count", "sum", "avg", "min", "max": return "\(name)(\(d)\(args[0]))"
    case "median": return "kq_quantile_cont(\(args[0]), 0.5)"
    case "quantile_cont": return "kq_quantile_cont(\(args[0]), \(args[1]))"
    case "quantile_disc": return "kq_quantile_disc(\(args[0]), \(args[1]))"
    case "year": return year(args[0])
    case "month": return "CAST(strftime('%m', \(args[0])) AS INTEGER)"
    case "quarter": return "((CAST(strftime('%m', \(args[0])) AS INTEGER) + 2) / 3)"
    case "days_between": return "CAST(julianday(\(args[1])) - julianday(\(args[0])) AS INTEGER)"
    case "age_at": return "(\(year(args[1])) - \(args[0]))"
    case "coalesce": return args.count == 1 ? args[0] : "coalesce(\(args.joined(separator: ", ")))"
    case "cardinality":
      guard case .column(let set) = expressions[0].kind, let i = index(of: set),
        case .flags(let list) = schema.columns[i].type
      else { throw OracleError("cardinality of \(expressions[0].text)") }
      return "(" + list.codes.map { "c.\"\(schema.columns[i].name)__\($0.code)\"" }.joined(separator: " + ") + ")"
    default: throw OracleError("no SQLite translation of \(name)")
    }
  }

  private func literal(_ literal: Literal) -> String {
    switch literal {
    case .null: "NULL"
    case .bool(let b): b ? "1" : "0"
    case .integer(let v): String(v)
    case .decimal(let v): String(v)
    case .string(let s), .date(let s): quoted(s)
    case .bytes(let b): quoted(b.map { String(format: "%02x", $0) }.joined())
    }
  }

  private func literal(_ value: Value) -> String {
    switch value {
    case .null: "NULL"
    case .int(let v): String(v)
    case .double(let v): String(v)
    case .bool(let v): v ? "1" : "0"
    case .text(let s): quoted(s)
    case .date(let d): quoted(d.description)
    case .bytes(let b): quoted(b.map { String(format: "%02x", $0) }.joined())
    }
  }

  private func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
