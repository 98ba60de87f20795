// The text formats for programs and documents: csv and tsv (RFC 4180 quoting), json
// and jsonl, markdown, SQLite's line mode, and the bar chart.
import Foundation
import KolomStore

enum Delimited {
  static func render(_ result: ResultSet, separator: Character) -> String {
    var lines = [result.columns.map { field($0.name, separator) }.joined(separator: String(separator))]
    for row in result.rows {
      lines.append(row.map { $0 == .null ? "" : field($0.description, separator) }.joined(separator: String(separator)))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A field, quoted when it holds the separator, a quote or a line break.
  private static func field(_ text: String, _ separator: Character) -> String {
    guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

enum JSONRenderer {
  static func render(_ result: ResultSet, lines: Bool) -> String {
    let objects = result.rows.map { row in
      "{" + zip(result.columns, row).map { "\(quoted($0.name)):\(json($1))" }.joined(separator: ",") + "}"
    }
    if lines { return objects.map { $0 + "\n" }.joined() }
    return "[" + objects.joined(separator: ",\n ") + "]\n"
  }

  static func json(_ value: Value) -> String {
    switch value {
    case .null: "null"
    case .int(let v): String(v)
    case .double(let v): v.isFinite ? Value.format(v) : "null"
    case .bool(let v): v ? "true" : "false"
    default: quoted(value.description)
    }
  }

  static func quoted(_ text: String) -> String { RecordWriter.json(text) }
}

enum MarkdownRenderer {
  static func render(_ result: ResultSet) -> String {
    func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    var lines = ["| " + result.columns.map { escaped($0.name) }.joined(separator: " | ") + " |"]
    lines.append("|" + result.columns.map { $0.type.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|")
    for row in result.rows {
      lines.append("| " + row.map { escaped(Renderer.cell($0)) }.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// SQLite's `.mode line`: one `name = value` per line, a blank line between rows.
enum LineRenderer {
  static func render(_ result: ResultSet) -> String {
    let width = result.columns.map(\.name.displayWidth).max() ?? 0
    return result.rows.map { row in
      zip(result.columns, row).map { $0.name.fitted(width, right: true) + " = " + Renderer.cell($1) }.joined(
        separator: "\n")
    }.joined(separator: "\n\n") + (result.rows.isEmpty ? "" : "\n")
  }
}

/// A horizontal bar per row: the last numeric column against the other columns.
struct BarRenderer {
  let width: Int
  /// Eighths of a block, for bars that end between characters.
  private static let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  func render(_ result: ResultSet) -> String {
    guard let valueColumn = result.columns.lastIndex(where: \.type.isNumeric) else {
      return "bar mode needs a numeric column (such as count(*)); showing a box instead\n"
        + BoxRenderer(maxRows: 40, width: width, allRowsHint: "").render(result)
    }
    let labels = result.rows.map { row in
      row.indices.filter { $0 != valueColumn }.map { Renderer.cell(row[$0]) }.joined(separator: " · ")
    }
    let values = result.rows.map { row -> Double in
      switch row[valueColumn] {
      case .int(let v): Double(v)
      case .double(let v): v
      default: 0
      }
    }
    let texts = result.rows.map { Renderer.cell($0[valueColumn]) }
    let labelWidth = min(40, labels.map(\.displayWidth).max() ?? 0)
    let textWidth = texts.map(\.displayWidth).max() ?? 0
    let barWidth = max(10, width - labelWidth - textWidth - 4)
    let top = max(values.map { abs($0) }.max() ?? 0, .leastNonzeroMagnitude)
    var lines = [
      "\(result.columns[valueColumn].name) by \(result.columns.indices.filter { $0 != valueColumn }.map { result.columns[$0].name }.joined(separator: " · "))"
    ]
    for (i, label) in labels.enumerated() {
      let eighths = Int((abs(values[i]) / top * Double(barWidth * 8)).rounded())
      let bar = String(repeating: "█", count: eighths / 8) + BarRenderer.partial[eighths % 8]
      lines.append(label.fitted(labelWidth) + " │" + bar + " " + texts[i])
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
