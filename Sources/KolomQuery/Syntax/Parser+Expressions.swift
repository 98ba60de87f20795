// The expression productions of the parser, from OR down to literals, in order of
// binding strength (weakest first).

extension Parser {
  // expr -> andExpr { OR andExpr }
  mutating func expression() throws -> Expression {
    var left = try andExpression()
    while case .keyword("OR") = current.kind {
      let location = current.location
      advance()
      left = Expression(kind: .binary("OR", left, try andExpression()), location: location)
    }
    return left
  }

  // andExpr -> notExpr { AND notExpr }
  mutating func andExpression() throws -> Expression {
    var left = try notExpression()
    while case .keyword("AND") = current.kind {
      let location = current.location
      advance()
      left = Expression(kind: .binary("AND", left, try notExpression()), location: location)
    }
    return left
  }

  // notExpr -> NOT notExpr | predicate
  mutating func notExpression() throws -> Expression {
    let location = current.location
    if accept("NOT") { return Expression(kind: .not(try notExpression()), location: location) }
    return try predicate()
  }

  // predicate -> sum [ cmpOp sum | [ NOT ] IN '(' expr { ',' expr } ')' | [ NOT ] BETWEEN sum AND sum
  //                  | IS [ NOT ] NULL | HAS hasTail ]
  mutating func predicate() throws -> Expression {
    let left = try sum()
    let location = current.location
    if case .symbol(let op) = current.kind, ["=", "<>", "!=", "<", "<=", ">", ">="].contains(op) {
      advance()
      return Expression(kind: .binary(op == "!=" ? "<>" : op, left, try sum()), location: location)
    }
    let negated = current.kind == .keyword("NOT") && [.keyword("IN"), .keyword("BETWEEN")].contains(peek().kind)
    if negated { advance() }
    if accept("IN") {
      try expectSymbol("(")
      if current.kind == .keyword("SELECT") { throw QueryError.notInLanguage("a subquery", at: current.location) }
      let list = try commaSeparated { try $0.expression() }
      try expectSymbol(")")
      return Expression(kind: .inList(left, list, negated: negated), location: location)
    }
    if accept("BETWEEN") {
      let low = try sum()
      try expect("AND")
      return Expression(kind: .between(left, low, try sum(), negated: negated), location: location)
    }
    if accept("IS") {
      let isNot = accept("NOT")
      try expect("NULL")
      return Expression(kind: .isNull(left, negated: isNot), location: location)
    }
    if accept("HAS") { return try hasTail(left, location) }
    return left
  }

  // hasTail -> ( ANY | ALL ) '(' expr { ',' expr } ')' | primary
  mutating func hasTail(_ set: Expression, _ location: SourceLocation) throws -> Expression {
    let mode: HasMode = accept("ANY") ? .any : (accept("ALL") ? .all : .one)
    if mode == .one { return Expression(kind: .has(set, .one, [try primary()]), location: location) }
    try expectSymbol("(")
    let flags = try commaSeparated { try $0.expression() }
    try expectSymbol(")")
    return Expression(kind: .has(set, mode, flags), location: location)
  }

  // sum -> term { ( '+' | '-' ) term }
  mutating func sum() throws -> Expression {
    var left = try term()
    while case .symbol(let op) = current.kind, op == "+" || op == "-" {
      let location = current.location
      advance()
      left = Expression(kind: .binary(op, left, try term()), location: location)
    }
    return left
  }

  // term -> unary { ( '*' | '/' | '%' ) unary }
  mutating func term() throws -> Expression {
    var left = try unary()
    while case .symbol(let op) = current.kind, op == "*" || op == "/" || op == "%" {
      let location = current.location
      advance()
      left = Expression(kind: .binary(op, left, try unary()), location: location)
    }
    return left
  }

  // unary -> '-' unary | primary
  mutating func unary() throws -> Expression {
    let location = current.location
    if acceptSymbol("-") {
      let operand = try unary()
      switch operand.kind {
      case .literal(.integer(let v)): return Expression(kind: .literal(.integer(-v)), location: location)
      case .literal(.decimal(let v)): return Expression(kind: .literal(.decimal(-v)), location: location)
      default: return Expression(kind: .negate(operand), location: location)
      }
    }
    return try primary()
  }

  // primary -> literal | param | call | ident | each | case | '(' expr ')'
  mutating func primary() throws -> Expression {
    let location = current.location
    switch current.kind {
    case .string(let text):
      advance()
      return Expression(kind: .literal(.string(text)), location: location)
    case .integer(let value):
      advance()
      return Expression(kind: .literal(.integer(value)), location: location)
    case .decimal(let value):
      advance()
      return Expression(kind: .literal(.decimal(value)), location: location)
    case .bytes(let bytes):
      advance()
      return Expression(kind: .literal(.bytes(bytes)), location: location)
    case .parameter(let name):
      advance()
      return Expression(kind: .parameter(name), location: location)
    case .keyword("NULL"), .keyword("TRUE"), .keyword("FALSE"):
      let literal: Literal = current.kind == .keyword("NULL") ? .null : .bool(current.kind == .keyword("TRUE"))
      advance()
      return Expression(kind: .literal(literal), location: location)
    case .keyword("DATE"):
      advance()
      guard case .string(let text) = current.kind else { throw unexpected("a 'YYYY-MM-DD' string after DATE") }
      advance()
      return Expression(kind: .literal(.date(text)), location: location)
    case .keyword("EACH"): return try each()
    case .keyword("CASE"): return try caseExpression()
    case .symbol("("):
      advance()
      if current.kind == .keyword("SELECT") { throw QueryError.notInLanguage("a subquery", at: current.location) }
      let inner = try expression()
      try expectSymbol(")")
      return inner
    case .identifier(let name):
      if Token.foreign[name.uppercased()] != nil { throw unexpected("an expression") }
      advance()
      if current.kind == .symbol("(") { return try call(name, location) }
      if current.kind == .symbol(".") {
        throw QueryError.notInLanguage("a qualified name (table.column)", at: current.location)
      }
      return Expression(kind: .column(name), location: location)
    default:
      throw unexpected("an expression")
    }
  }

  // call -> ident '(' [ DISTINCT ] ( '*' | [ expr { ',' expr } ] ) ')' [ FILTER '(' WHERE expr ')' ]
  mutating func call(_ name: String, _ location: SourceLocation) throws -> Expression {
    try expectSymbol("(")
    let distinct = accept("DISTINCT")
    var arguments: [Expression] = []
    let star = !distinct && acceptSymbol("*")
    if !star && current.kind != .symbol(")") { arguments = try commaSeparated { try $0.expression() } }
    try expectSymbol(")")
    var filter: Expression? = nil
    if accept("FILTER") {
      try expectSymbol("(")
      try expect("WHERE")
      filter = try expression()
      try expectSymbol(")")
    }
    if current.kind == .identifier("OVER") || current.kind == .identifier("over") {
      throw QueryError.notInLanguage("window functions (OVER)", at: current.location)
    }
    return Expression(
      kind: .call(name: name.lowercased(), arguments: arguments, distinct: distinct, star: star, filter: filter),
      location: location)
  }

  // each -> EACH '(' ident [ KEEP EMPTY ] ')'
  mutating func each() throws -> Expression {
    let location = current.location
    try expect("EACH")
    try expectSymbol("(")
    let (name, _) = try identifier("a flag set column")
    let keepEmpty = accept("KEEP")
    if keepEmpty { try expect("EMPTY") }
    try expectSymbol(")")
    return Expression(kind: .each(name, keepEmpty: keepEmpty), location: location)
  }

  // case -> CASE [ expr ] WHEN expr THEN expr { WHEN expr THEN expr } [ ELSE expr ] END
  mutating func caseExpression() throws -> Expression {
    let location = current.location
    try expect("CASE")
    let operand = current.kind == .keyword("WHEN") ? nil : try expression()
    var clauses: [WhenClause] = []
    repeat {
      try expect("WHEN")
      var condition = try expression()
      if let operand {
        condition = Expression(kind: .binary("=", operand, condition), location: condition.location)
      }
      try expect("THEN")
      clauses.append(WhenClause(condition: condition, value: try expression()))
    } while current.kind == .keyword("WHEN")
    let otherwise = accept("ELSE") ? try expression() : nil
    try expect("END")
    return Expression(kind: .caseWhen(clauses, otherwise: otherwise), location: location)
  }
}
