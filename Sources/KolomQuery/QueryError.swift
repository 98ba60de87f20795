// QueryError: everything that can be wrong with a query, with where it was found.
// Messages are rendered here, once; `rendered(in:)` adds the line and a caret.

/// A place in the query text: 1-based line and column, and the character offset.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  /// Characters (not bytes) from the start of the query.
  public var offset: Int

  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  public var description: String { "\(line):\(column)" }
}

/// An error in a query or while running it.
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A character or literal the lexer cannot read.
  case invalidToken(String, at: SourceLocation)
  /// The parser expected something else.
  case unexpectedToken(found: String, expected: String, at: SourceLocation)
  /// SQL that exists elsewhere but not in this read-only language (JOIN, INSERT, subqueries…).
  case notInLanguage(String, at: SourceLocation)
  /// A table other than `cases`.
  case unknownTable(String, suggestion: String?, at: SourceLocation)
  /// A column name the schema does not have.
  case unknownColumn(String, suggestion: String?, at: SourceLocation)
  /// A function this language does not have.
  case unknownFunction(String, suggestion: String?, at: SourceLocation)
  /// A code not in a column's code list.
  case unknownCode(String, column: String, suggestion: String?, at: SourceLocation)
  /// A `:name` parameter without a value.
  case missingParameter(String, at: SourceLocation)
  /// Types that do not fit the operator or function.
  case typeMismatch(String, at: SourceLocation)
  /// Text compared with `clientnummer`: a clear client number, most likely. It is never
  /// repeated: `rendered(in:)` blanks the literal, and the REPL keeps no history of it.
  case clientNumberAsText(at: SourceLocation)
  /// A construct used where it is not allowed (aggregate in WHERE, EACH outside GROUP BY…).
  case invalidUse(String, at: SourceLocation)
  /// The access policy does not allow this query.
  case notAllowed(String)
  /// The query was cancelled.
  case cancelled
  /// The store could not be read.
  case storage(String)

  /// Where the problem is, when it has a place in the text.
  public var location: SourceLocation? {
    switch self {
    case .invalidToken(_, let at), .unexpectedToken(_, _, let at), .notInLanguage(_, let at),
      .unknownTable(_, _, let at), .unknownColumn(_, _, let at), .unknownFunction(_, _, let at),
      .unknownCode(_, _, _, let at), .missingParameter(_, let at), .typeMismatch(_, let at),
      .clientNumberAsText(let at), .invalidUse(_, let at):
      at
    case .notAllowed, .cancelled, .storage: nil
    }
  }

  /// The message without its place.
  public var message: String {
    func suggest(_ s: String?) -> String { s.map { "; did you mean '\($0)'?" } ?? "" }
    switch self {
    case .invalidToken(let text, _): return "cannot read \(text)"
    case .unexpectedToken(let found, let expected, _): return "expected \(expected), found \(found)"
    case .notInLanguage(let what, _):
      return "\(what) is not part of this language: Kolom runs one read-only SELECT over cases"
    case .unknownTable(let name, let s, _): return "unknown table '\(name)'" + suggest(s) + " (the only table is cases)"
    case .unknownColumn(let name, let s, _): return "unknown column '\(name)'" + suggest(s)
    case .unknownFunction(let name, let s, _): return "unknown function '\(name)'" + suggest(s)
    case .unknownCode(let code, let column, let s, _): return "unknown code '\(code)' for \(column)" + suggest(s)
    case .missingParameter(let name, _):
      return "parameter :\(name) has no value"
    case .typeMismatch(let detail, _): return detail
    case .clientNumberAsText:
      return "clientnummer holds pseudonyms, written X'…' (32 hex digits), never a clear client number "
        + "(the text is not repeated here)"
    case .invalidUse(let detail, _): return detail
    case .notAllowed(let detail): return detail
    case .cancelled: return "query cancelled"
    case .storage(let detail): return detail
    }
  }

  public var description: String { location.map { "\($0): \(message)" } ?? message }

  /// The message with the offending line of `query` and a caret under the place.
  public func rendered(in query: String) -> String {
    guard let at = location else { return "error: \(message)" }
    let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
    guard at.line >= 1, at.line <= lines.count else { return "error at \(at): \(message)" }
    var line = String(lines[at.line - 1])
    var column = at.column
    if holdsClientNumber {
      column = Self.blankingLiterals(in: String(line.prefix(max(0, column - 1)))).count + 1
      line = Self.blankingLiterals(in: line)
    }
    let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
    return "error at \(at): \(message)\n  \(line)\n  \(caret)"
  }

  /// `line` with every quoted literal shown as '…' (a doubled quote stays inside one).
  static func blankingLiterals(in line: String) -> String {
    var out = ""
    var inLiteral = false
    var previousQuote = false
    for character in line {
      if character == "'" {
        if inLiteral {
          inLiteral = false
          previousQuote = true
          continue
        }
        if previousQuote {
          // '' inside a literal: it goes on.
          inLiteral = true
          previousQuote = false
          continue
        }
        inLiteral = true
        out += "'…'"
        continue
      }
      previousQuote = false
      if !inLiteral { out.append(character) }
    }
    return out
  }

  /// Whether the query held a clear client number, to be kept out of any history.
  public var holdsClientNumber: Bool {
    if case .clientNumberAsText = self { return true }
    return false
  }
}
