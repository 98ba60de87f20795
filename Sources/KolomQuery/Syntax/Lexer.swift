// Lexer: query text to tokens, each with its line and column. Comments (-- and /* */)
// and whitespace are skipped; keywords are case-insensitive.

/// Splits a query into tokens.
struct Lexer {
  private let characters: [Character]
  private var index = 0
  private var line = 1
  private var column = 1

  init(_ text: String) { characters = Array(text) }

  /// Every token of the text, ending with `.end`.
  /// - Complexity: O(characters).
  static func tokens(of text: String) throws -> [Token] {
    var lexer = Lexer(text)
    var tokens: [Token] = []
    while true {
      let token = try lexer.next()
      tokens.append(token)
      if token.kind == .end { return tokens }
    }
  }

  private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }
  private var current: Character? { index < characters.count ? characters[index] : nil }
  private func peek(_ ahead: Int = 1) -> Character? {
    index + ahead < characters.count ? characters[index + ahead] : nil
  }

  private mutating func advance() {
    if characters[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  private mutating func next() throws -> Token {
    try skipSpaceAndComments()
    let start = location
    guard let c = current else { return Token(kind: .end, location: start) }
    if (c == "x" || c == "X") && peek() == "'" { return Token(kind: .bytes(try hexLiteral(start)), location: start) }
    if c.isLetter || c == "_" { return Token(kind: word(), location: start) }
    if c.isNumber { return Token(kind: try number(start), location: start) }
    switch c {
    case "'": return Token(kind: .string(try quoted("'", start)), location: start)
    case "\"": return Token(kind: .identifier(try quoted("\"", start)), location: start)
    case ":":
      advance()
      guard let first = current, first.isLetter || first == "_" else {
        throw QueryError.invalidToken("':' without a parameter name after it", at: start)
      }
      guard case .identifier(let name) = word(keywords: false) else { preconditionFailure("word without keywords") }
      return Token(kind: .parameter(name), location: start)
    default: return Token(kind: .symbol(try symbol(start)), location: start)
    }
  }

  private mutating func skipSpaceAndComments() throws {
    while let c = current {
      if c.isWhitespace {
        advance()
      } else if c == "-" && peek() == "-" {
        while let c = current, c != "\n" { advance() }
      } else if c == "/" && peek() == "*" {
        let start = location
        advance()
        advance()
        while current != nil && !(current == "*" && peek() == "/") { advance() }
        guard current != nil else { throw QueryError.invalidToken("a comment that is never closed with */", at: start) }
        advance()
        advance()
      } else {
        return
      }
    }
  }

  // word -> letter { letter | digit | '_' }
  private mutating func word(keywords: Bool = true) -> Token.Kind {
    var text = ""
    while let c = current, c.isLetter || c.isNumber || c == "_" {
      text.append(c)
      advance()
    }
    let upper = text.uppercased()
    return keywords && Token.keywords.contains(upper) ? .keyword(upper) : .identifier(text)
  }

  // number -> digits [ '.' digits ] [ ('e'|'E') ['+'|'-'] digits ]
  private mutating func number(_ start: SourceLocation) throws -> Token.Kind {
    var text = ""
    var isDecimal = false
    while let c = current, c.isNumber || c == "_" {
      if c != "_" { text.append(c) }
      advance()
    }
    if current == ".", let d = peek(), d.isNumber {
      isDecimal = true
      text.append(".")
      advance()
      while let c = current, c.isNumber {
        text.append(c)
        advance()
      }
    }
    if current == "e" || current == "E", let d = peek(), d.isNumber || d == "+" || d == "-" {
      isDecimal = true
      text.append("e")
      advance()
      if let sign = current, sign == "+" || sign == "-" {
        text.append(sign)
        advance()
      }
      while let c = current, c.isNumber {
        text.append(c)
        advance()
      }
    }
    if let c = current, c.isLetter { throw QueryError.invalidToken("the number '\(text)\(c)…'", at: start) }
    if isDecimal, let value = Double(text) { return .decimal(value) }
    guard let value = Int64(text) else { throw QueryError.invalidToken("the number \(text) (too large)", at: start) }
    return .integer(value)
  }

  /// The text between `quote`s, a doubled quote standing for one.
  private mutating func quoted(_ quote: Character, _ start: SourceLocation) throws -> String {
    advance()
    var text = ""
    while true {
      guard let c = current else {
        let what = quote == "'" ? "a string" : "a quoted name"
        throw QueryError.invalidToken("\(what) that is never closed with \(quote)", at: start)
      }
      advance()
      if c == quote {
        guard current == quote else { return text }
        advance()
      }
      text.append(c)
    }
  }

  // hex -> ('x'|'X') "'" { hexdigit hexdigit } "'"
  private mutating func hexLiteral(_ start: SourceLocation) throws -> [UInt8] {
    advance()
    let digits = try quoted("'", start)
    var bytes: [UInt8] = []
    var pending: UInt8? = nil
    for d in digits {
      guard let v = d.hexDigitValue else { throw QueryError.invalidToken("X'\(digits)': not hexadecimal", at: start) }
      if let high = pending {
        bytes.append(high << 4 | UInt8(v))
        pending = nil
      } else {
        pending = UInt8(v)
      }
    }
    guard pending == nil else { throw QueryError.invalidToken("X'\(digits)': an odd number of hex digits", at: start) }
    return bytes
  }

  private mutating func symbol(_ start: SourceLocation) throws -> String {
    let c = current!
    let two = peek().map { String([c, $0]) }
    if let two, ["<>", "!=", "<=", ">=", "||"].contains(two) {
      advance()
      advance()
      return two
    }
    guard "=<>+-*/(),;.%".contains(c) else { throw QueryError.invalidToken("the character '\(c)'", at: start) }
    advance()
    return String(c)
  }
}
