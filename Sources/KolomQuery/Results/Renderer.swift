// Renderer: a result as text in one of the output modes of the REPL and `kolom query`:
// box (default, truncating visibly), table, csv, tsv, json, jsonl, markdown, line, and
// bar (a chart of the last numeric column against the others).
import Foundation

/// How a result is printed.
public enum OutputFormat: String, Sendable, CaseIterable {
  case box, table, csv, tsv, json, jsonl, markdown, line, bar
}

/// Renders results as text.
public struct Renderer: Sendable {
  public var format: OutputFormat
  /// Box mode shows at most this many rows (half from the start, half from the end).
  public var maxRows: Int
  /// Box and bar mode fit this many columns of text.
  public var width: Int
  /// How to see every row, said when box mode leaves some out ("--format csv for all").
  public var allRowsHint: String

  public init(format: OutputFormat = .box, maxRows: Int = 40, width: Int = 120, allRowsHint: String = "") {
    self.format = format
    self.maxRows = maxRows
    self.width = width
    self.allRowsHint = allRowsHint
  }

  /// The text of `result`, ending in a newline (empty for an empty csv/tsv/jsonl body).
  public func render(_ result: ResultSet) -> String {
    switch format {
    case .box: BoxRenderer(maxRows: maxRows, width: width, allRowsHint: allRowsHint).render(result)
    case .table: TableRenderer().render(result)
    case .csv: Delimited.render(result, separator: ",")
    case .tsv: Delimited.render(result, separator: "\t")
    case .json: JSONRenderer.render(result, lines: false)
    case .jsonl: JSONRenderer.render(result, lines: true)
    case .markdown: MarkdownRenderer.render(result)
    case .line: LineRenderer.render(result)
    case .bar: BarRenderer(width: width).render(result)
    }
  }

  /// A value as shown in a grid: NULL spelled out.
  static func cell(_ value: Value) -> String {
    value == .null ? "NULL" : value.description
  }
}

extension String {
  /// Width in terminal columns (one per character; these results hold no wide characters).
  var displayWidth: Int { count }

  /// The string cut to `width` columns with an ellipsis, or padded to it.
  func fitted(_ width: Int, right: Bool = false) -> String {
    if displayWidth > width { return String(prefix(max(0, width - 1))) + "…" }
    let pad = String(repeating: " ", count: width - displayWidth)
    return right ? pad + self : self + pad
  }
}

/// DuckDB-style boxes: names, types, rows (the middle elided when there are too many).
struct BoxRenderer {
  let maxRows: Int
  let width: Int
  let allRowsHint: String

  func render(_ result: ResultSet) -> String {
    let columns = result.columns
    guard !columns.isEmpty else { return "(no columns)\n" }
    let shown = shownRows(result.rows.count)
    var cells = shown.map { index in index.map { result.rows[$0].map(Renderer.cell) } }
    var widths = columns.map { max($0.name.displayWidth, $0.type.rawValue.displayWidth) }
    for row in cells.compactMap({ $0 }) {
      for (c, text) in row.enumerated() { widths[c] = max(widths[c], text.displayWidth) }
    }
    // Shrink the widest columns until the box fits the terminal.
    while widths.reduce(0, +) + 3 * widths.count + 1 > width,
      let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
      widths[widest] > 8
    {
      widths[widest] -= 1
    }
    func line(_ left: String, _ middle: String, _ right: String) -> String {
      left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
    }
    func row(_ texts: [String], numeric: [Bool]) -> String {
      "│"
        + zip(texts, widths).enumerated().map { c, pair in " " + pair.0.fitted(pair.1, right: numeric[c]) + " " }
        .joined(separator: "│") + "│"
    }
    let numeric = columns.map(\.type.isNumeric)
    var out = [line("┌", "┬", "┐"), row(columns.map(\.name), numeric: numeric.map { _ in false })]
    out.append(row(columns.map(\.type.rawValue), numeric: numeric.map { _ in false }))
    out.append(line("├", "┼", "┤"))
    cells = cells.map { $0 ?? nil }
    for entry in cells {
      if let entry {
        out.append(row(entry, numeric: numeric))
      } else {
        out.append(row(widths.map { _ in "·" }, numeric: numeric))
      }
    }
    out.append(line("└", "┴", "┘"))
    let count = result.rows.count
    let summary =
      count == shown.compactMap({ $0 }).count
      ? "\(count) row\(count == 1 ? "" : "s")"
      : "\(count) rows (\(shown.compactMap { $0 }.count) shown\(allRowsHint.isEmpty ? "" : "; " + allRowsHint))"
    out.append(summary)
    return out.joined(separator: "\n") + "\n"
  }

  /// Row indices to show, nil standing for the elided middle.
  private func shownRows(_ count: Int) -> [Int?] {
    guard count > maxRows else { return Array(0..<count) }
    let head = (maxRows + 1) / 2
    let tail = maxRows - head
    return Array(0..<head) + [nil] + Array((count - tail)..<count)
  }
}

/// SQLite's `.mode table`: ASCII grid, every row.
struct TableRenderer {
  func render(_ result: ResultSet) -> String {
    let header = result.columns.map(\.name)
    let cells = result.rows.map { $0.map(Renderer.cell) }
    var widths = header.map(\.displayWidth)
    for row in cells { for (c, text) in row.enumerated() { widths[c] = max(widths[c], text.displayWidth) } }
    let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
    let numeric = result.columns.map(\.type.isNumeric)
    func line(_ texts: [String], align: Bool) -> String {
      "|"
        + texts.enumerated().map { " " + $1.fitted(widths[$0], right: align && numeric[$0]) + " " }.joined(
          separator: "|")
        + "|"
    }
    return ([rule, line(header, align: false), rule] + cells.map { line($0, align: true) } + [rule]).joined(
      separator: "\n")
      + "\n"
  }
}
