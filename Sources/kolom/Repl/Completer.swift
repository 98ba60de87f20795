// Completer: what Tab offers at the cursor. Dot-commands at the start of a line, and
// their arguments; codes after a coded column and HAS, =, <>, IN or a comma ('K0' →
// 'K01' …); otherwise keywords, columns and functions.
import Foundation
import Kolom

struct Completer {
  let schema: Schema
  let dotCommands: [String]

  /// The candidates for the text before the cursor, and how many characters at its end
  /// they replace.
  func complete(_ before: String) -> (candidates: [String], replacing: Int) {
    let word = String(before.reversed().prefix { $0.isLetter || $0.isNumber || "_'.:".contains($0) }.reversed())
    let head = before.dropLast(word.count)
    let trimmed = head.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty && word.hasPrefix(".") { return (matching(word, dotCommands), word.count) }
    if trimmed.hasPrefix(".") { return (argumentsOf(dot: trimmed, word), word.count) }
    if let column = codedColumn(before: String(head)), let list = codes(of: column) {
      let candidates = list.map { "'\($0)'" }.filter { $0.hasPrefix(word.hasPrefix("'") ? word : "'" + word) }
      return (candidates, word.count)
    }
    guard !word.isEmpty, !word.hasPrefix("'") else { return ([], 0) }  // not every word at once
    let upper = word.first.map { $0.isUppercase } ?? false
    let keywords = Vocabulary.keywords.map { upper ? $0 : $0.lowercased() }
    let functions = (Array(Vocabulary.aggregates.keys) + Array(Vocabulary.scalars.keys)).map { $0 + "(" }
    let names = schema.columns.map(\.name) + ["cases"]
    return (matching(word, names + functions + keywords), word.count)
  }

  /// The words among `candidates` that begin with `word` (case-insensitive), sorted.
  private func matching(_ word: String, _ candidates: [String]) -> [String] {
    let lowered = word.lowercased()
    return Array(Set(candidates.filter { $0.lowercased().hasPrefix(lowered) })).sorted()
  }

  private func argumentsOf(dot line: String, _ word: String) -> [String] {
    let command = line.split(separator: " ").first.map(String.init) ?? line
    switch command {
    case ".values", ".schema": return matching(word, schema.columns.filter { $0.type.codeList != nil }.map(\.name))
    case ".mode": return matching(word, OutputFormat.allCases.map(\.rawValue))
    case ".help": return matching(word, HelpTopics.names)
    case ".timer", ".explain", ".pager": return matching(word, ["on", "off"] + (command == ".pager" ? ["auto"] : []))
    default: return []
    }
  }

  /// The coded column a value typed now would be compared with: `col HAS`, `col =`,
  /// `col IN (… ,`, `col HAS ANY (…`.
  private func codedColumn(before head: String) -> String? {
    let tokens = head.split { $0.isWhitespace || $0 == "(" || $0 == ")" }.map(String.init)
    guard let last = tokens.last?.uppercased() else { return nil }
    let operators: Set<String> = ["HAS", "ANY", "ALL", "=", "<>", "!=", "IN", ","]
    guard operators.contains(last) || last.hasSuffix(",") || last.hasSuffix("=") else { return nil }
    for token in tokens.reversed() {
      let name = token.trimmingCharacters(in: CharacterSet(charactersIn: "=<>!,"))
      if let column = schema.columns.first(where: { $0.name.lowercased() == name.lowercased() }) {
        return column.type.codeList == nil ? nil : column.name
      }
      if ["WHERE", "AND", "OR", "SELECT", "BY", "WHEN", "HAVING"].contains(name.uppercased()) { return nil }
    }
    return nil
  }

  private func codes(of column: String) -> [String]? {
    schema.columns.first { $0.name == column }?.type.codeList?.codes.map(\.code)
  }
}
