// kolom inspect: a segment's header, schema, row groups, chunks, encodings, sizes
// and statistics, for people.
import Foundation
import KolomFormat
import KolomStore

enum InspectCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: [], switches: ["summary"])
    guard args.positional.count == 1 else { throw UsageError("inspect needs one FILE") }
    let path = args.positional[0]
    let reader = try SegmentReader(FileSegment(path: path))
    print(render(reader, name: path, chunks: !args.has("summary")))
  }

  static func render(_ reader: SegmentReader, name: String, chunks showChunks: Bool) -> String {
    let f = reader.footer
    var out: [String] = []
    out.append("segment \(name)")
    out.append(
      "  size            \(reader.fileSize) bytes (footer \(reader.fileSize - reader.footerOffset - Layout.trailerSize) bytes at offset \(reader.footerOffset))"
    )
    out.append("  format          \(reader.version.major).\(reader.version.minor), created by \(f.createdBy)")
    out.append("  features        required \(features(f.requiredFeatures)), optional \(features(f.optionalFeatures))")
    out.append("  rows            \(f.rowCount) in \(f.rowGroups.count) row groups")
    if f.rowCount > 0 {
      out.append("  bytes per row   \(String(format: "%.2f", Double(reader.fileSize) / Double(f.rowCount)))")
    }
    out.append("")
    out.append("columns (\(f.columns.count))")
    out.append(row(["#", "field", "kind", "null", "stored", "raw", "bytes/row", "name"]))
    for (c, column) in f.columns.enumerated() {
      let chunks = (0..<f.rowGroups.count).map { f.chunk(rowGroup: $0, column: c) }
      let stored = chunks.reduce(0) { $0 + $1.storedLength }
      let raw = chunks.reduce(0) { $0 + $1.rawLength }
      let perRow = f.rowCount > 0 ? String(format: "%.3f", Double(stored) / Double(f.rowCount)) : "-"
      out.append(
        row([
          String(c), String(column.fieldID), kindName(column), column.isNullable ? "yes" : "no",
          String(stored), String(raw), perRow, column.name,
        ]))
    }
    out.append("")
    out.append("row groups")
    out.append(row(["group", "first row", "rows", "stored"]))
    for (g, group) in f.rowGroups.enumerated() {
      let stored = (0..<f.columns.count).reduce(0) { $0 + f.chunk(rowGroup: g, column: $1).storedLength }
      out.append(row([String(g), String(group.firstRow), String(group.rowCount), String(stored)]))
    }
    guard showChunks else { return out.joined(separator: "\n") }
    out.append("")
    out.append("chunks")
    out.append(
      row([
        "group", "col", "offset", "encoding", "width", "codec", "stored", "raw", "nulls", "min", "max", "true", "codes",
      ]))
    for g in 0..<f.rowGroups.count {
      for (c, column) in f.columns.enumerated() {
        let info = f.chunk(rowGroup: g, column: c)
        let s = info.statistics
        let empty = s.nullCount == f.rowGroups[g].rowCount
        out.append(
          row([
            String(g), String(c), String(info.offset),
            info.encoding.name, String(info.bitWidth),
            info.codec == .none ? "none" : "lz4", String(info.storedLength), String(info.rawLength),
            String(s.nullCount),
            empty ? "-" : value(s.min, column), empty ? "-" : value(s.max, column),
            column.kind == .bool ? String(s.trueCount) : "", s.presence.map { String($0.trueCount) } ?? "",
          ]))
      }
    }
    return out.joined(separator: "\n")
  }

  static func kindName(_ column: ColumnDescriptor) -> String {
    switch column.kind {
    case .bytes: "bytes(\(column.byteWidth))"
    case .code: "code(\(column.codeCount))"
    default: column.kind.description
    }
  }

  static func value(_ v: Int64, _ column: ColumnDescriptor) -> String {
    switch column.kind {
    case .date: CivilDate(days: v).description
    case .bytes: String(UInt64(bitPattern: v), radix: 16) + "…"
    default: String(v)
    }
  }

  static func features(_ bits: UInt64) -> String {
    if bits == 0 { return "none" }
    var names: [String] = []
    if bits & Features.lz4Block != 0 { names.append("lz4Block") }
    if bits & Features.runs != 0 { names.append("runs") }
    let unknown = bits & ~Features.knownRequired
    if unknown != 0 { names.append("0x" + String(unknown, radix: 16)) }
    return names.joined(separator: ",")
  }

  static func row(_ cells: [String]) -> String {
    let widths = [6, 8, 10, 6, 10, 10, 10, 8, 7, 12, 12, 8, 6]
    return "  "
      + cells.enumerated().map { i, cell in
        i == cells.count - 1
          ? cell
          : cell.padding(toLength: max(widths[min(i, widths.count - 1)], cell.count), withPad: " ", startingAt: 0)
      }.joined(separator: " ")
  }
}
