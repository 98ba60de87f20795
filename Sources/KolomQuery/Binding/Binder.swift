// Binder: gives a parsed statement meaning against the catalog. Resolves names,
// checks literals against the code lists, types every expression, and splits the
// query into what the scan computes (filter, keys, aggregate inputs) and what is
// computed per group afterwards (select list, HAVING, ORDER BY).
import KolomStore

/// Binds statements of one catalog.
struct Binder {
  let catalog: Catalog
  let parameters: [String: Value]

  /// Where names resolve while binding an expression.
  enum Scope {
    /// Physical columns of the scanned rows (WHERE, keys, aggregate inputs, row queries).
    case rows
    /// After grouping: group keys and aggregates only.
    case groups
  }

  /// State of binding one statement: the aggregates found so far.
  final class Work {
    var keys: [BoundGroupKey] = []
    var keyTexts: [String] = []
    var aggregates: [BoundAggregate] = []
    var aggregateTexts: [String] = []
  }

  /// Binds `statement`.
  func bind(_ statement: SelectStatement) throws -> BoundQuery {
    guard statement.table.lowercased() == Catalog.table else {
      throw QueryError.unknownTable(
        statement.table, suggestion: Suggestion.nearest(to: statement.table, among: [Catalog.table]),
        at: statement.tableLocation)
    }
    var query = BoundQuery(explain: statement.explain)
    let work = Work()
    if let filter = statement.filter {
      query.filter = try predicate(filter, "WHERE", work: work)
    }
    let items = try selectItems(statement)
    query.isAggregate =
      statement.grouping != .none || items.contains { isAggregate($0.expression) }
      || statement.having.map(isAggregate) == true
    if query.isAggregate {
      try bindGrouped(statement, items: items, into: &query, work: work)
    } else {
      try bindRows(statement, items: items, into: &query, work: work)
    }
    query.limit = statement.limit
    query.offset = statement.offset
    return query
  }

  /// The select list, `*` expanded to every column in schema order.
  private func selectItems(_ statement: SelectStatement) throws -> [SelectItem] {
    if let items = statement.items { return items }
    let at = statement.starLocation!
    return catalog.columns.map { SelectItem(expression: Expression(kind: .column($0.name), location: at), alias: nil) }
  }

  /// Whether `expression` holds an aggregate call.
  func isAggregate(_ expression: Expression) -> Bool { aggregateCall(in: expression) != nil }

  /// The first aggregate call in `expression`, if any.
  func aggregateCall(in expression: Expression) -> Expression? {
    expression.first {
      if case .call(let name, _, _, _, _) = $0.kind { return FunctionCatalog.aggregates[name] != nil }
      return false
    }
  }

  /// A WHERE-like condition over rows.
  func predicate(_ expression: Expression, _ clause: String, work: Work) throws -> BoundExpression {
    if let call = aggregateCall(in: expression) {
      throw QueryError.invalidUse("aggregates are not allowed in \(clause); use HAVING", at: call.location)
    }
    let bound = try bind(expression, .rows, work)
    try expectBool(bound, expression, clause)
    return bound
  }

  func expectBool(_ bound: BoundExpression, _ expression: Expression, _ clause: String) throws {
    guard bound.type == .bool || bound.type == .null else {
      throw QueryError.typeMismatch(
        "\(clause) needs a condition, not \(bound.type.withArticle)", at: expression.location)
    }
  }

  // MARK: Row queries

  private func bindRows(_ statement: SelectStatement, items: [SelectItem], into query: inout BoundQuery, work: Work)
    throws
  {
    for item in items {
      if case .each = item.expression.kind {
        throw QueryError.invalidUse("EACH(…) is a grouping key: add GROUP BY ALL", at: item.expression.location)
      }
      let name = item.alias ?? item.expression.text
      if case .column(let column) = item.expression.kind, case .flags(let set)? = catalog.column(column) {
        query.outputs.append(OutputColumn(name: item.alias ?? set.column, source: .flags(set)))
      } else {
        query.outputs.append(OutputColumn(name: name, source: .expression(try bind(item.expression, .rows, work))))
      }
    }
    query.order = try statement.order.map { item in
      let bound =
        try resolveOutputReference(item.expression, items: items, outputs: query.outputs)
        ?? (try bind(item.expression, .rows, work))
      return BoundOrder(expression: bound, descending: item.descending, nullsFirst: item.nullsFirst ?? false)
    }
    query.limitBy = try statement.limitBy.map {
      try resolveOutputReference($0, items: items, outputs: query.outputs) ?? (try bind($0, .rows, work))
    }
  }

  /// An ORDER BY or LIMIT BY item that names a select item by alias or position.
  private func resolveOutputReference(_ expression: Expression, items: [SelectItem], outputs: [OutputColumn])
    throws -> BoundExpression?
  {
    if case .literal(.integer(let n)) = expression.kind {
      guard n >= 1, n <= outputs.count else {
        throw QueryError.invalidUse(
          "there is no select item \(n) (there are \(outputs.count))", at: expression.location)
      }
      return try outputExpression(outputs[Int(n) - 1], at: expression.location)
    }
    if case .column(let name) = expression.kind,
      let i = items.firstIndex(where: { $0.alias?.lowercased() == name.lowercased() })
    {
      return try outputExpression(outputs[i], at: expression.location)
    }
    return nil
  }

  private func outputExpression(_ output: OutputColumn, at location: SourceLocation) throws -> BoundExpression {
    guard case .expression(let e) = output.source else {
      throw QueryError.typeMismatch("a flag set cannot be sorted; sort by cardinality(…) instead", at: location)
    }
    return e
  }
}
