// QueryScript: the query scripts of Scripts/*.test, in the style of DuckDB's
// sqllogictest. A block is a directive line, the query, `----`, and what it gives:
//
//   query [rowsort]          rows, cells separated by '|' ('rowsort': in any order)
//   error                    the message; a '⏵' in the query marks where it points
//   param NAME = VALUE       sets :NAME for the blocks after it
//
// Blocks are separated by blank lines; lines starting with '#' are comments.
import Foundation

/// One block of a script.
struct ScriptBlock {
  enum Kind {
    case query(rowsort: Bool)
    case error(at: SourceLocationMark?)
  }
  var kind: Kind
  var query: String
  var expected: [String]
  /// The script line the block starts on, for failure messages.
  var line: Int
  var parameters: [String: String]
}

/// Where the marker stood in an error block's query: 1-based line and column.
struct SourceLocationMark: Equatable, CustomStringConvertible {
  var line: Int
  var column: Int
  var description: String { "\(line):\(column)" }
}

enum QueryScript {
  /// The marker of an error's expected position.
  static let marker: Character = "⏵"

  /// The blocks of script `text`.
  static func blocks(_ text: String) throws -> [ScriptBlock] {
    var blocks: [ScriptBlock] = []
    var parameters: [String: String] = [:]
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var i = 0
    while i < lines.count {
      let line = lines[i].trimmingCharacters(in: .whitespaces)
      i += 1
      if line.isEmpty || line.hasPrefix("#") { continue }
      let words = line.split(separator: " ", maxSplits: 1).map(String.init)
      switch words[0] {
      case "param":
        let parts = words[1].split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        parameters[parts[0]] = parts[1]
      case "query", "error":
        let start = i
        var query: [String] = []
        while i < lines.count, lines[i] != "----" {
          query.append(lines[i])
          i += 1
        }
        i += 1
        var expected: [String] = []
        while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
          expected.append(lines[i])
          i += 1
        }
        let text = query.joined(separator: "\n")
        let kind: ScriptBlock.Kind =
          words[0] == "query" ? .query(rowsort: words.count > 1 && words[1] == "rowsort") : .error(at: mark(in: text))
        blocks.append(
          ScriptBlock(
            kind: kind, query: text.replacingOccurrences(of: String(marker), with: ""),
            expected: words[0] == "query" ? expected.map(normalized) : expected, line: start, parameters: parameters))
      default:
        throw OracleError("script line \(i): unknown directive '\(words[0])'")
      }
    }
    return blocks
  }

  /// An expected row as canonical text: cells trimmed and joined by tabs.
  static func normalized(_ row: String) -> String {
    row.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      .joined(separator: "\t")
  }

  private static func mark(in text: String) -> SourceLocationMark? {
    var line = 1
    var column = 1
    for character in text {
      if character == marker { return SourceLocationMark(line: line, column: column) }
      if character == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return nil
  }
}
