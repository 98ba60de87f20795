// Statements: query text cut at the semicolons that end statements (not those inside
// strings, quoted names or comments), for scripts, piped input and the REPL.

/// Splits and measures statements in text.
public enum Statements {
  /// The statements of `text`, each without its ';', blank ones left out.
  public static func split(_ text: String) -> [String] {
    var statements: [String] = []
    var current = ""
    scan(text) { character, ends in
      if ends {
        statements.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    statements.append(current)
    return statements.filter { !isBlank($0) }
  }

  /// Whether `text` ends a statement: its last non-blank character outside strings and
  /// comments is a ';' (so the REPL runs it) .
  public static func isComplete(_ text: String) -> Bool {
    var complete = false
    scan(text) { character, ends in
      if ends {
        complete = true
      } else if !character.isWhitespace {
        complete = false
      }
    }
    return complete
  }

  /// Whether `text` holds only whitespace and comments.
  public static func isBlank(_ text: String) -> Bool {
    var blank = true
    scan(text, includeComments: false) { character, _ in if !character.isWhitespace { blank = false } }
    return blank
  }

  /// Calls `body` for each character with whether it is a statement-ending ';'.
  private static func scan(_ text: String, includeComments: Bool = true, _ body: (Character, Bool) -> Void) {
    var quote: Character? = nil
    var lineComment = false
    var blockComment = false
    var previous: Character = " "
    for character in text {
      if lineComment {
        if character == "\n" { lineComment = false }
        if includeComments { body(character, false) }
      } else if blockComment {
        if previous == "*" && character == "/" { blockComment = false }
        if includeComments { body(character, false) }
      } else if let q = quote {
        if character == q { quote = nil }
        body(character, false)
      } else if character == "'" || character == "\"" {
        quote = character
        body(character, false)
      } else if previous == "-" && character == "-" {
        lineComment = true
        if includeComments { body(character, false) }
      } else if previous == "/" && character == "*" {
        blockComment = true
        if includeComments { body(character, false) }
      } else {
        body(character, character == ";")
      }
      previous = blockComment && character == "*" && previous == "/" ? " " : character
    }
  }
}
