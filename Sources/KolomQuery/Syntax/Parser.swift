// Parser: tokens to a SelectStatement, by recursive descent with one function per
// grammar production (docs/query-language.md has the whole grammar). Expressions are
// in Parser+Expressions.swift.

/// Parses one statement of the query language.
struct Parser {
  private let tokens: [Token]
  private var position = 0

  init(tokens: [Token]) { self.tokens = tokens }

  /// Parses `text` as one statement.
  static func parse(_ text: String) throws -> SelectStatement {
    var parser = Parser(tokens: try Lexer.tokens(of: text))
    return try parser.statement()
  }

  // MARK: Token access

  var current: Token { tokens[position] }
  func peek(_ ahead: Int = 1) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

  mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  /// Consumes the keyword `word` if it is next.
  mutating func accept(_ word: String) -> Bool {
    guard current.kind == .keyword(word) else { return false }
    advance()
    return true
  }

  /// Consumes the symbol `symbol` if it is next.
  mutating func acceptSymbol(_ symbol: String) -> Bool {
    guard current.kind == .symbol(symbol) else { return false }
    advance()
    return true
  }

  mutating func expect(_ word: String) throws {
    guard accept(word) else { throw unexpected(word) }
  }

  mutating func expectSymbol(_ symbol: String) throws {
    guard acceptSymbol(symbol) else { throw unexpected("'\(symbol)'") }
  }

  /// The error for finding the current token where `expected` should be. Words of SQL
  /// this language leaves out get their own message.
  func unexpected(_ expected: String) -> QueryError {
    if case .identifier(let name) = current.kind, let what = Token.foreign[name.uppercased()] {
      return .notInLanguage(what, at: current.location)
    }
    if current.kind == .keyword("SELECT") { return .notInLanguage("a subquery", at: current.location) }
    return .unexpectedToken(found: current.display, expected: expected, at: current.location)
  }

  mutating func identifier(_ what: String) throws -> (String, SourceLocation) {
    guard case .identifier(let name) = current.kind else { throw unexpected(what) }
    let location = current.location
    advance()
    return (name, location)
  }

  mutating func integer(_ what: String) throws -> Int {
    guard case .integer(let value) = current.kind, value >= 0, value <= Int64(Int32.max) else {
      throw unexpected(what)
    }
    advance()
    return Int(value)
  }

  // MARK: Statements

  // statement -> [ EXPLAIN ] select [ ';' ]
  mutating func statement() throws -> SelectStatement {
    let explain = accept("EXPLAIN")
    if case .identifier(let word) = current.kind, let what = Token.foreign[word.uppercased()] {
      throw QueryError.notInLanguage(what, at: current.location)
    }
    var select = try self.select()
    select.explain = explain
    _ = acceptSymbol(";")
    guard current.kind == .end else {
      if current.kind == .symbol(";") || current.kind == .keyword("SELECT") {
        throw QueryError.invalidUse("one statement at a time: remove what follows the ';'", at: current.location)
      }
      throw unexpected("the end of the statement")
    }
    return select
  }

  // select -> SELECT ( '*' | selectList ) FROM ident [ WHERE expr ] [ GROUP BY grouping ] [ HAVING expr ]
  //           [ ORDER BY orderItem { ',' orderItem } ] [ LIMIT int [ BY expr { ',' expr } ] ] [ OFFSET int ]
  mutating func select() throws -> SelectStatement {
    try expect("SELECT")
    let star = current.kind == .symbol("*") ? current.location : nil
    let items = star != nil ? nil : try selectList()
    if star != nil { advance() }
    try expect("FROM")
    if current.kind == .symbol("(") { throw QueryError.notInLanguage("a subquery", at: current.location) }
    let (table, tableLocation) = try identifier("a table name (cases)")
    var statement = SelectStatement(items: items, starLocation: star, table: table, tableLocation: tableLocation)
    if current.kind == .symbol(",") { throw QueryError.notInLanguage("JOIN", at: current.location) }
    if accept("WHERE") { statement.filter = try expression() }
    if accept("GROUP") {
      try expect("BY")
      statement.grouping = try grouping()
    }
    if accept("HAVING") { statement.having = try expression() }
    if accept("ORDER") {
      try expect("BY")
      statement.order = try commaSeparated { try $0.orderItem() }
    }
    if accept("LIMIT") {
      statement.limit = try integer("a row count after LIMIT")
      if accept("BY") { statement.limitBy = try commaSeparated { try $0.expression() } }
    }
    if accept("OFFSET") { statement.offset = try integer("a row count after OFFSET") }
    return statement
  }

  // selectList -> selectItem { ',' selectItem }
  // selectItem -> expr [ [ AS ] ident ]
  mutating func selectList() throws -> [SelectItem] {
    try commaSeparated { parser in
      let expression = try parser.expression()
      if parser.accept("AS") {
        return SelectItem(expression: expression, alias: try parser.identifier("a name after AS").0)
      }
      if case .identifier(let name) = parser.current.kind, Token.foreign[name.uppercased()] == nil {
        parser.advance()
        return SelectItem(expression: expression, alias: name)
      }
      return SelectItem(expression: expression, alias: nil)
    }
  }

  // grouping -> ALL | ROLLUP '(' expr { ',' expr } ')' | expr { ',' expr }
  mutating func grouping() throws -> Grouping {
    let location = current.location
    if accept("ALL") { return .all(location) }
    if accept("ROLLUP") {
      try expectSymbol("(")
      let keys = try commaSeparated { try $0.expression() }
      try expectSymbol(")")
      return .rollup(keys)
    }
    return .keys(try commaSeparated { try $0.expression() })
  }

  // orderItem -> expr [ ASC | DESC ] [ NULLS ( FIRST | LAST ) ]
  mutating func orderItem() throws -> OrderItem {
    let expression = try self.expression()
    let descending = accept("DESC") ? true : (accept("ASC") ? false : false)
    var nullsFirst: Bool? = nil
    if accept("NULLS") {
      if accept("FIRST") {
        nullsFirst = true
      } else {
        try expect("LAST")
        nullsFirst = false
      }
    }
    return OrderItem(expression: expression, descending: descending, nullsFirst: nullsFirst)
  }

  /// `item { ',' item }`.
  mutating func commaSeparated<T>(_ item: (inout Parser) throws -> T) throws -> [T] {
    var items = [try item(&self)]
    while acceptSymbol(",") { items.append(try item(&self)) }
    return items
  }
}
