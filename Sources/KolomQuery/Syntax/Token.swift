// Tokens of the query language: what the lexer hands the parser.

/// One token and where it starts.
struct Token: Sendable, Equatable {
  enum Kind: Sendable, Equatable {
    /// A name: a column, function, alias or table (unquoted names are case-insensitive keywords
    /// only when they are in `Token.keywords`).
    case identifier(String)
    /// A reserved word, upper-cased.
    case keyword(String)
    /// A 'string' literal, quotes removed and '' unescaped.
    case string(String)
    /// An integer literal.
    case integer(Int64)
    /// A literal with a fraction or exponent.
    case decimal(Double)
    /// An X'hex' literal (a pseudonym).
    case bytes([UInt8])
    /// A :name parameter.
    case parameter(String)
    /// An operator or punctuation: = <> != < <= > >= + - * / ( ) , ; .
    case symbol(String)
    case end
  }

  var kind: Kind
  var location: SourceLocation

  /// Reserved words: they cannot name a column or alias unless quoted.
  static let keywords: Set<String> = [
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "ASC", "DESC", "NULLS", "FIRST",
    "LAST", "AS", "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "NULL", "HAS", "ANY", "ALL", "EACH", "KEEP",
    "EMPTY", "ROLLUP", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "FILTER", "TRUE", "FALSE", "DATE",
    "EXPLAIN", "OFFSET",
  ]

  /// Words of SQL that this language refuses with a clear message.
  static let foreign: [String: String] = [
    "JOIN": "JOIN", "INNER": "JOIN", "LEFT": "JOIN", "RIGHT": "JOIN", "OUTER": "JOIN", "CROSS": "JOIN",
    "UNION": "UNION", "INTERSECT": "INTERSECT", "EXCEPT": "EXCEPT", "WITH": "WITH (common table expressions)",
    "INSERT": "INSERT", "UPDATE": "UPDATE", "DELETE": "DELETE", "CREATE": "CREATE", "DROP": "DROP",
    "ALTER": "ALTER", "ATTACH": "ATTACH", "COPY": "COPY", "PRAGMA": "PRAGMA", "REPLACE": "REPLACE",
    "WINDOW": "WINDOW", "OVER": "window functions (OVER)", "TRUNCATE": "TRUNCATE", "GRANT": "GRANT",
  ]

  /// How the token reads in an error message.
  var display: String {
    switch kind {
    case .identifier(let name): "'\(name)'"
    case .keyword(let word): word
    case .string(let text): "'\(text)'"
    case .integer(let value): String(value)
    case .decimal(let value): String(value)
    case .bytes: "a hex literal"
    case .parameter(let name): ":\(name)"
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "the end of the query"
    }
  }
}
