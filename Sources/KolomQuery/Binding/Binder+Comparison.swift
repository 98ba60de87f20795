// Comparisons, IN, HAS and CASE: where literals meet the columns they are compared
// with. A string compared with a category becomes its code number (or an "unknown
// code" error), with a date becomes a date; texts of different origins are compared
// through a shared sorted dictionary.
import KolomStore

extension Binder {
  func comparison(
    _ op: ComparisonOperator, _ a: BoundExpression, _ b: BoundExpression, _ bExpression: Expression,
    at: SourceLocation
  ) throws -> BoundExpression {
    var left = a
    var right = b
    if left.type == .null { left = .constant(.null, right.type) }
    if right.type == .null { right = .constant(.null, left.type) }
    if isStringConstant(right) && !isStringConstant(left) {
      right = try coerce(right, to: left.type, at: bExpression.location)
    } else if isStringConstant(left) && !isStringConstant(right) {
      left = try coerce(left, to: right.type, at: at)
    }
    switch (left.type, right.type) {
    case (.int, .int), (.double, .double), (.date, .date), (.bool, .bool), (.null, .null):
      return .compare(op, left, right)
    case (.int, .double), (.double, .int):
      return .compare(op, numeric(left, .double), numeric(right, .double))
    case (.text(let d1), .text(let d2)):
      if d1 === d2 {
        return op == .equal || op == .notEqual
          ? .compare(op, left, right) : .compare(op, .remap(left, d1.ranks, .int), .remap(right, d1.ranks, .int))
      }
      let merged = Array(Set(d1.strings + d2.strings)).sorted()
      let rank = Dictionary(uniqueKeysWithValues: merged.enumerated().map { ($1, Int64($0)) })
      return .compare(
        op, .remap(left, d1.strings.map { rank[$0]! }, .int), .remap(right, d2.strings.map { rank[$0]! }, .int))
    case (.id(let w1), .id(let w2)) where op == .equal || op == .notEqual:
      guard w1 == w2 else {
        throw QueryError.typeMismatch("a pseudonym has \(w1) bytes; this value has \(w2)", at: bExpression.location)
      }
      return .compare(op, left, right)
    default:
      throw QueryError.typeMismatch("cannot compare \(left.type.withArticle) with \(right.type.withArticle)", at: at)
    }
  }

  private func isStringConstant(_ e: BoundExpression) -> Bool {
    if case .constant(_, .text(let d)) = e, d.column == nil, d.strings.count == 1 { return true }
    return false
  }

  /// The string constant `e` as a value of `type`: a category's code, a date, or unchanged.
  func coerce(_ e: BoundExpression, to type: ValueType, at: SourceLocation) throws -> BoundExpression {
    guard case .constant(_, .text(let own)) = e, let string = own.strings.first else { return e }
    switch type {
    case .text(let dictionary) where dictionary.column != nil:
      guard let code = dictionary.index(of: string) else {
        throw QueryError.unknownCode(
          string, column: dictionary.column!, suggestion: Suggestion.nearest(to: string, among: dictionary.strings),
          at: at)
      }
      return .constant(.int(Int64(code)), type)
    case .date:
      guard let date = CivilDate(iso: string) else {
        throw QueryError.typeMismatch("'\(string)' is not a date (YYYY-MM-DD)", at: at)
      }
      return .constant(.int(date.days), .date)
    case .int, .double, .bool:
      throw QueryError.typeMismatch("cannot compare \(type.withArticle) with the text '\(string)'", at: at)
    case .id:
      throw QueryError.clientNumberAsText(at: at)
    case .flags(let set):
      throw QueryError.typeMismatch("\(set.column) is a flag set: use \(set.column) HAS '\(string)'", at: at)
    default:
      return e
    }
  }

  func inList(
    _ e: Expression, _ list: [Expression], negated: Bool, _ scope: Scope, _ work: Work, at: SourceLocation
  ) throws -> BoundExpression {
    let value = try bind(e, scope, work)
    let items = try list.map { try bind($0, scope, work) }
    // A client number typed as text is refused before any other problem of the list, so
    // that no message repeats the line that holds it.
    if case .id = value.type, let text = zip(items, list).first(where: { isStringConstant($0.0) }) {
      throw QueryError.clientNumberAsText(at: text.1.location)
    }
    // Constants of the value's own type make a set; anything else is a chain of equalities.
    var constants: [Scalar] = []
    for (item, expression) in zip(items, list) {
      let coerced = try coerce(item, to: value.type, at: expression.location)
      guard case .constant(let scalar, let type) = coerced, scalar != .null, type == value.type else { break }
      constants.append(scalar)
    }
    if constants.count == items.count && value.type != .null {
      return .inSet(value, constants, negated: negated)
    }
    var chain: BoundExpression? = nil
    for (item, expression) in zip(items, list) {
      let equal = try comparison(.equal, value, item, expression, at: expression.location)
      chain = chain.map { .or($0, equal) } ?? equal
    }
    return negated ? .not(chain!) : chain!
  }

  func has(
    _ e: Expression, _ mode: HasMode, _ flags: [Expression], _ scope: Scope, _ work: Work, at: SourceLocation
  ) throws -> BoundExpression {
    guard case .flags(let set) = try bind(e, scope, work).type else {
      throw QueryError.typeMismatch("HAS needs a flag set on its left, such as problematiek_jeugdige", at: e.location)
    }
    let positions = try flags.map { flag -> Int in
      let bound = try bind(flag, scope, work)
      guard case .constant(_, .text(let d)) = bound, let code = d.strings.first, d.strings.count == 1 else {
        throw QueryError.typeMismatch("HAS takes flag codes as text, such as 'adhd'", at: flag.location)
      }
      guard let position = set.codes.firstIndex(of: code) else {
        throw QueryError.unknownCode(
          code, column: set.column, suggestion: Suggestion.nearest(to: code, among: set.codes), at: flag.location)
      }
      return position
    }
    return .has(set, positions, all: mode == .all)
  }

  func caseWhen(
    _ clauses: [WhenClause], _ otherwise: Expression?, _ scope: Scope, _ work: Work, at: SourceLocation
  ) throws -> BoundExpression {
    let conditions = try clauses.map { clause -> BoundExpression in
      let bound = try bind(clause.condition, scope, work)
      try expectBool(bound, clause.condition, "WHEN")
      return bound
    }
    var values = try clauses.map { try bind($0.value, scope, work) }
    if let otherwise { values.append(try bind(otherwise, scope, work)) }
    let (type, unified) = try unify(values, at: at)
    let pairs = Array(zip(conditions, unified.prefix(clauses.count)))
    return .caseWhen(pairs, otherwise: otherwise == nil ? nil : unified.last, type)
  }

  /// One type for all of `values` (CASE branches, coalesce arguments), and each value in it.
  func unify(_ values: [BoundExpression], at: SourceLocation) throws -> (ValueType, [BoundExpression]) {
    let types = values.map(\.type).filter { $0 != .null }
    guard let first = types.first else { return (.null, values) }
    if types.allSatisfy(\.isNumeric) {
      let type: ValueType = types.contains(.double) ? .double : .int
      return (type, values.map { numeric($0, type) })
    }
    if types.allSatisfy({ $0.dictionary != nil }) {
      let dictionaries = types.compactMap(\.dictionary)
      if dictionaries.allSatisfy({ $0 === dictionaries[0] }) {
        return (first, values.map { $0.type == .null ? .constant(.null, first) : $0 })
      }
      var strings: [String] = []
      for d in dictionaries { for s in d.strings where !strings.contains(s) { strings.append(s) } }
      let union = TextDictionary(strings)
      let type = ValueType.text(union)
      return (
        type,
        values.map { v in
          guard let d = v.type.dictionary else { return .constant(.null, type) }
          return .remap(v, d.strings.map { Int64(union.index(of: $0)!) }, type)
        }
      )
    }
    guard types.allSatisfy({ $0 == first }) else {
      throw QueryError.typeMismatch(
        "values of different types (\(types.map(\.description).joined(separator: ", "))) cannot be combined", at: at)
    }
    return (first, values.map { $0.type == .null ? .constant(.null, first) : $0 })
  }
}
