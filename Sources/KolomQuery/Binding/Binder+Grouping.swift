// Binding an aggregate query: the group keys (GROUP BY, ALL, ROLLUP, EACH), then the
// select list, HAVING and ORDER BY in terms of keys and aggregates.
import KolomStore

extension Binder {
  func bindGrouped(_ statement: SelectStatement, items: [SelectItem], into query: inout BoundQuery, work: Work)
    throws
  {
    let keyExpressions: [Expression]
    var rollup = false
    switch statement.grouping {
    case .none: keyExpressions = []
    case .all: keyExpressions = items.map(\.expression).filter { !isAggregate($0) }
    case .keys(let keys): keyExpressions = try keys.map { try groupKeyReference($0, items: items) }
    case .rollup(let keys):
      keyExpressions = try keys.map { try groupKeyReference($0, items: items) }
      rollup = true
    }
    for expression in keyExpressions { try addKey(expression, work: work) }
    let eachKeys = work.keys.filter { if case .each = $0 { true } else { false } }
    if eachKeys.count > 1 {
      throw QueryError.invalidUse("one EACH(…) key per query", at: keyExpressions.last!.location)
    }
    query.keys = work.keys
    let all = Array(work.keys.indices)
    query.groupingSets = rollup ? (0...all.count).reversed().map { Array(all.prefix($0)) } : [all]

    for item in items {
      let bound = try bind(item.expression, .groups, work)
      if case .flags = bound.type {
        throw QueryError.typeMismatch(
          "a flag set is not a value; group by EACH(\(item.expression.text)) or use cardinality(…)",
          at: item.expression.location)
      }
      query.outputs.append(OutputColumn(name: item.alias ?? item.expression.text, source: .expression(bound)))
    }
    if let having = statement.having {
      let bound = try bind(aliasesReplaced(having, items: items), .groups, work)
      try expectBool(bound, having, "HAVING")
      query.having = bound
    }
    query.order = try statement.order.map { item in
      let bound = try orderReference(item.expression, items: items, outputs: query.outputs, work: work)
      return BoundOrder(expression: bound, descending: item.descending, nullsFirst: item.nullsFirst ?? false)
    }
    query.limitBy = try statement.limitBy.map {
      try orderReference($0, items: items, outputs: query.outputs, work: work)
    }
    query.aggregates = work.aggregates
  }

  /// A GROUP BY item: a position or an alias stands for that select item.
  private func groupKeyReference(_ expression: Expression, items: [SelectItem]) throws -> Expression {
    if case .literal(.integer(let n)) = expression.kind {
      guard n >= 1, n <= items.count else {
        throw QueryError.invalidUse("there is no select item \(n) (there are \(items.count))", at: expression.location)
      }
      return items[Int(n) - 1].expression
    }
    if case .column(let name) = expression.kind, catalog.column(name) == nil,
      let item = items.first(where: { $0.alias?.lowercased() == name.lowercased() })
    {
      return item.expression
    }
    return expression
  }

  private func addKey(_ expression: Expression, work: Work) throws {
    if isAggregate(expression) {
      throw QueryError.invalidUse("an aggregate cannot be a GROUP BY key", at: expression.location)
    }
    let text = expression.text
    guard !work.keyTexts.contains(text) else { return }
    if case .each(let name, let keepEmpty) = expression.kind {
      guard case .flags(let set)? = catalog.column(name) else {
        throw eachError(name, at: expression.location)
      }
      work.keys.append(.each(set, keepEmpty: keepEmpty, dictionary: catalog.flagDictionary(set)))
    } else {
      let bound = try bind(expression, .rows, work)
      if case .flags = bound.type {
        throw QueryError.typeMismatch(
          "a flag set cannot be a key; use EACH(\(expression.text))", at: expression.location)
      }
      work.keys.append(.expression(bound, text: text))
    }
    work.keyTexts.append(text)
  }

  func eachError(_ name: String, at location: SourceLocation) -> QueryError {
    if catalog.column(name) != nil {
      return .typeMismatch("EACH needs a flag set, and \(name) is not one", at: location)
    }
    let sets = catalog.columns.compactMap { if case .flags = $0.column { $0.name } else { nil } }
    return .unknownColumn(name, suggestion: Suggestion.nearest(to: name, among: sets), at: location)
  }

  /// An ORDER BY item after grouping: a position, an alias, or an expression of keys and aggregates.
  private func orderReference(_ expression: Expression, items: [SelectItem], outputs: [OutputColumn], work: Work)
    throws -> BoundExpression
  {
    if case .literal(.integer(let n)) = expression.kind {
      guard n >= 1, n <= outputs.count, case .expression(let e) = outputs[Int(n) - 1].source else {
        throw QueryError.invalidUse(
          "there is no select item \(n) (there are \(outputs.count))", at: expression.location)
      }
      return e
    }
    if case .column(let name) = expression.kind,
      let i = items.firstIndex(where: { $0.alias?.lowercased() == name.lowercased() }),
      case .expression(let e) = outputs[i].source
    {
      return e
    }
    return try bind(aliasesReplaced(expression, items: items), .groups, work)
  }

  /// `expression` with names of select-item aliases (that are not columns) replaced by the items.
  func aliasesReplaced(_ expression: Expression, items: [SelectItem]) -> Expression {
    if case .column(let name) = expression.kind, catalog.column(name) == nil,
      let item = items.first(where: { $0.alias?.lowercased() == name.lowercased() })
    {
      return item.expression
    }
    var copy = expression
    switch expression.kind {
    case .negate(let e): copy.kind = .negate(aliasesReplaced(e, items: items))
    case .not(let e): copy.kind = .not(aliasesReplaced(e, items: items))
    case .binary(let op, let a, let b):
      copy.kind = .binary(op, aliasesReplaced(a, items: items), aliasesReplaced(b, items: items))
    case .isNull(let e, let negated): copy.kind = .isNull(aliasesReplaced(e, items: items), negated: negated)
    case .between(let e, let low, let high, let negated):
      copy.kind = .between(
        aliasesReplaced(e, items: items), aliasesReplaced(low, items: items), aliasesReplaced(high, items: items),
        negated: negated)
    case .inList(let e, let list, let negated):
      copy.kind = .inList(aliasesReplaced(e, items: items), list, negated: negated)
    default: break
    }
    return copy
  }

  /// Registers the aggregate call `expression` (once per distinct text); returns its index.
  func aggregate(_ expression: Expression, work: Work) throws -> Int {
    let text = expression.text
    if let i = work.aggregateTexts.firstIndex(of: text) { return i }
    guard case .call(let name, let arguments, let distinct, let star, let filter) = expression.kind else {
      preconditionFailure("aggregate of a non-call")
    }
    if arguments.contains(where: isAggregate) || filter.map(isAggregate) == true {
      throw QueryError.invalidUse("aggregates cannot be nested", at: expression.location)
    }
    let boundFilter = try filter.map { try predicate($0, "FILTER", work: work) }
    let aggregate = try FunctionCatalog.bindAggregate(
      name, arguments: arguments, distinct: distinct, star: star, at: expression.location,
      bind: { try self.bind($0, .rows, work) })
    work.aggregates.append(
      BoundAggregate(
        function: aggregate.function, argument: aggregate.argument, distinct: distinct, filter: boundFilter,
        type: aggregate.type, text: text))
    work.aggregateTexts.append(text)
    return work.aggregates.count - 1
  }
}
