// Binding expressions: names to columns (or to keys and aggregates after grouping),
// parameters to constants, and literals to the type of what they are compared with,
// so that 'JZ13' becomes regio's code number and a typo becomes "did you mean".
import KolomStore

extension Binder {
  func bind(_ expression: Expression, _ scope: Scope, _ work: Work) throws -> BoundExpression {
    if scope == .groups {
      let text = expression.text
      if let i = work.keyTexts.firstIndex(of: text) { return .grouped(i, work.keys[i].type) }
      if case .call(let name, _, _, _, _) = expression.kind, FunctionCatalog.aggregates[name] != nil {
        let j = try aggregate(expression, work: work)
        return .grouped(work.keys.count + j, work.aggregates[j].type)
      }
    }
    let at = expression.location
    switch expression.kind {
    case .literal(let literal): return try constant(literal, at: at)
    case .parameter(let name):
      guard let value = parameters[name] ?? parameters[name.lowercased()] else {
        throw QueryError.missingParameter(name, at: at)
      }
      return constant(value)
    case .column(let name): return try column(name, scope, at: at)
    case .each(let name, _):
      if catalog.column(name).map({ if case .flags = $0 { true } else { false } }) != true {
        throw eachError(name, at: at)
      }
      throw QueryError.invalidUse("EACH(\(name)) must also be a GROUP BY key (or use GROUP BY ALL)", at: at)
    case .negate(let e):
      let operand = try bind(e, scope, work)
      guard operand.type.isNumeric || operand.type == .null else {
        throw QueryError.typeMismatch("cannot negate \(operand.type.withArticle)", at: at)
      }
      return .negate(operand)
    case .not(let e):
      let operand = try bind(e, scope, work)
      try expectBool(operand, e, "NOT")
      return .not(operand)
    case .binary(let op, let a, let b): return try binary(op, a, b, scope, work, at: at)
    case .isNull(let e, let negated):
      let operand = try bind(e, scope, work)
      if case .flags(let set) = operand.type {
        // A flag set is NULL where its presence bit is clear; one without presence never is.
        guard let presence = set.presence else { return .constant(.bool(negated), .bool) }
        let present = BoundExpression.column(presence, .bool)
        return negated ? present : .not(present)
      }
      return .isNull(operand, negated: negated)
    case .between(let e, let low, let high, let negated):
      let value = try bind(e, scope, work)
      let lower = try comparison(.greaterOrEqual, value, try bind(low, scope, work), low, at: at)
      let upper = try comparison(.lessOrEqual, value, try bind(high, scope, work), high, at: at)
      let both = BoundExpression.and(lower, upper)
      return negated ? .not(both) : both
    case .inList(let e, let list, let negated): return try inList(e, list, negated: negated, scope, work, at: at)
    case .has(let e, let mode, let flags): return try has(e, mode, flags, scope, work, at: at)
    case .call(let name, let arguments, let distinct, let star, _):
      if FunctionCatalog.aggregates[name] != nil {
        throw QueryError.invalidUse("aggregate \(name)(…) is not allowed here", at: at)
      }
      if (distinct || star) && FunctionCatalog.scalars[name] != nil {
        throw QueryError.invalidUse("only aggregates take DISTINCT or *", at: at)
      }
      return try FunctionCatalog.bindScalar(
        name, arguments: try arguments.map { try bind($0, scope, work) }, expressions: arguments, at: at,
        binder: self)
    case .caseWhen(let clauses, let otherwise): return try caseWhen(clauses, otherwise, scope, work, at: at)
    }
  }

  private func column(_ name: String, _ scope: Scope, at: SourceLocation) throws -> BoundExpression {
    guard let column = catalog.column(name) else {
      throw QueryError.unknownColumn(name, suggestion: Suggestion.nearest(to: name, among: catalog.columnNames), at: at)
    }
    if scope == .groups {
      throw QueryError.invalidUse(
        "column \(name) must be a GROUP BY key or be inside an aggregate such as count(DISTINCT \(name))", at: at)
    }
    switch column {
    case .scalar(let physical, let type): return .column(physical, type)
    case .flags(let set): return .constant(.null, .flags(set))
    }
  }

  /// A literal as a constant of its natural type (a string is a one-string text).
  func constant(_ literal: Literal, at: SourceLocation) throws -> BoundExpression {
    switch literal {
    case .null: return .constant(.null, .null)
    case .bool(let v): return .constant(.bool(v), .bool)
    case .integer(let v): return .constant(.int(v), .int)
    case .decimal(let v): return .constant(.double(v), .double)
    case .string(let s): return .constant(.int(0), .text(TextDictionary([s])))
    case .bytes(let b): return .constant(.bytes(b), .id(width: b.count))
    case .date(let text):
      guard let date = CivilDate(iso: text) else {
        throw QueryError.typeMismatch("'\(text)' is not a date (YYYY-MM-DD)", at: at)
      }
      return .constant(.int(date.days), .date)
    }
  }

  /// A parameter value as a constant.
  func constant(_ value: Value) -> BoundExpression {
    switch value {
    case .null: .constant(.null, .null)
    case .int(let v): .constant(.int(v), .int)
    case .double(let v): .constant(.double(v), .double)
    case .bool(let v): .constant(.bool(v), .bool)
    case .text(let s): .constant(.int(0), .text(TextDictionary([s])))
    case .date(let d): .constant(.int(d.days), .date)
    case .bytes(let b): .constant(.bytes(b), .id(width: b.count))
    }
  }

  private func binary(
    _ op: String, _ a: Expression, _ b: Expression, _ scope: Scope, _ work: Work, at: SourceLocation
  ) throws -> BoundExpression {
    let left = try bind(a, scope, work)
    let right = try bind(b, scope, work)
    switch op {
    case "AND", "OR":
      try expectBool(left, a, op)
      try expectBool(right, b, op)
      return op == "AND" ? .and(left, right) : .or(left, right)
    case "=", "<>", "<", "<=", ">", ">=":
      return try comparison(ComparisonOperator(rawValue: op)!, left, right, b, at: at)
    default:
      return try arithmetic(ArithmeticOperator(rawValue: op)!, left, right, at: at)
    }
  }

  private func arithmetic(_ op: ArithmeticOperator, _ a: BoundExpression, _ b: BoundExpression, at: SourceLocation)
    throws -> BoundExpression
  {
    switch (a.type, b.type) {
    case (.date, .date) where op == .subtract: return .daysBetween(b, a)
    case (.date, .int) where op == .add || op == .subtract, (.date, .null) where op == .add || op == .subtract:
      return .arithmetic(op, a, b, .date)
    case (.int, .date) where op == .add: return .arithmetic(op, b, a, .date)
    default: break
    }
    let types = [a.type, b.type].filter { $0 != .null }
    guard types.allSatisfy(\.isNumeric) else {
      throw QueryError.typeMismatch(
        "cannot apply \(op.rawValue) to \(a.type.withArticle) and \(b.type.withArticle)", at: at)
    }
    // Division is floating-point, as in DuckDB; % of integers stays integral.
    if op == .divide || types.contains(.double) {
      return .arithmetic(op, numeric(a, .double), numeric(b, .double), .double)
    }
    return .arithmetic(op, a, b, .int)
  }

  /// `e` as a `type` (int or double) operand.
  func numeric(_ e: BoundExpression, _ type: ValueType) -> BoundExpression {
    if type == .double && e.type == .int { return .toDouble(e) }
    if case .constant(.null, .null) = e { return .constant(.null, type) }
    return e
  }
}
