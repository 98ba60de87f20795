// Records written as text: delivery files (CSV with a header row, NDJSON) in the form
// ingest reads, and the subject-access export (JSON or CSV with column labels and each
// record's expiry). Files go outside the store, with mode 0600: they hold clear client
// numbers and special-category data.
import Foundation

/// Writes records as delivery text.
public struct RecordWriter {
  public let schema: Schema
  public let format: DeliveryFormat
  private let text: ValueText
  private let idColumn: Int?

  public init(schema: Schema, format: DeliveryFormat) {
    self.schema = schema
    self.format = format
    text = ValueText(schema: schema)
    idColumn = schema.columns.firstIndex { if case .id = $0.type { true } else { false } }
  }

  /// The header row (CSV), or nothing (NDJSON).
  public var header: String {
    format == .csv ? schema.columns.map { RecordWriter.csvField($0.name) }.joined(separator: ",") + "\n" : ""
  }

  /// One record as a line: `values` by schema column, with `clientNumber` in the id column.
  public func line(_ values: [FieldValue?], clientNumber: String) -> String {
    switch format {
    case .csv:
      return schema.columns.indices.map { c in
        RecordWriter.csvField(c == idColumn ? clientNumber : text.format(values[c], column: c))
      }.joined(separator: ",") + "\n"
    case .ndjson:
      let fields = schema.columns.indices.map { c -> String in
        "\(RecordWriter.json(schema.columns[c].name)):"
          + jsonValue(c == idColumn ? .bytes([]) : values[c], column: c, clear: clientNumber)
      }
      return "{" + fields.joined(separator: ",") + "}\n"
    }
  }

  private func jsonValue(_ value: FieldValue?, column: Int, clear: String) -> String {
    guard let value else { return "null" }
    switch (schema.columns[column].type, value) {
    case (.id, _): return RecordWriter.json(clear)
    case (.year, .int(let v)), (.int, .int(let v)): return String(v)
    case (.flags, _):
      let names = text.format(value, column: column)
      return "["
        + (names.isEmpty ? [] : names.split(separator: ";").map { RecordWriter.json(String($0)) }).joined(
          separator: ",") + "]"
    default: return RecordWriter.json(text.format(value, column: column))
    }
  }

  /// `value` as one RFC 4180 field (quoted when it holds a comma, a quote or a line break).
  public static func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// `value` as a JSON string.
  public static func json(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

/// A new file outside the store, mode 0600: an export or a reject file. It is created
/// (never over an existing file, never inside the store) before the work it reports on,
/// so a path that cannot be used is refused before anything is stored.
public final class PrivateFile {
  public let path: String
  private var fd: Int32
  /// Whether anything has been written to it.
  public private(set) var isEmpty = true

  public init(creating path: String, store: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    if let inside = PseudonymKey.isInside(directory.isEmpty ? "." : directory, store), inside {
      throw StoreError.invalidSetting("\(path) is inside the store; exports and reject files must go elsewhere")
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      throw StoreError.invalidSetting(
        "cannot create \(path): " + (errno == EEXIST ? "a file is already there" : String(cString: strerror(errno))))
    }
    self.path = path
  }

  deinit { if fd >= 0 { _ = close(fd) } }

  /// Appends `text` and makes it durable.
  public func append(_ text: String) throws {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else {
        throw StoreError.invalidSetting("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      bytes = bytes.dropFirst(written)
    }
    guard fsync(fd) == 0 else {
      throw StoreError.invalidSetting("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    isEmpty = isEmpty && text.isEmpty
  }

  /// Closes the file, and removes it when nothing was written to it.
  public func finish() {
    guard fd >= 0 else { return }
    _ = close(fd)
    fd = -1
    if isEmpty { unlink(path) }
  }

  /// Writes `text` to a new private file at `path`.
  public static func write(_ text: String, to path: String, store: String) throws {
    let file = try PrivateFile(creating: path, store: store)
    defer { file.finish() }
    try file.append(text)
  }
}

/// The subject-access export of one client (GDPR art. 15 and 20).
public enum SubjectExport {
  public enum Format: String, Sendable {
    case json
    case csv
  }

  /// `records` (every live record of one client) as JSON or CSV, each value with its
  /// column's label, codes with their meaning, and each record's expiry date.
  public static func render(
    _ records: RecordBatch, clientNumber: String, request: String, restricted: Bool, retention: Retention,
    format: Format
  ) -> String {
    let schema = records.schema
    let text = ValueText(schema: schema)
    let id = schema.columns.firstIndex { if case .id = $0.type { true } else { false } }
    func expiry(_ row: Int) -> String {
      guard case .int(let days)? = records.record(at: row)[schema.index(of: schema.partitionColumn)!] else { return "" }
      return Instant.local(retention.expiry(ofYear: CivilDate(days: days).year))
    }
    func value(_ row: [FieldValue?], _ c: Int) -> String { c == id ? clientNumber : text.format(row[c], column: c) }
    switch format {
    case .csv:
      var out =
        (schema.columns.map(\.label) + ["Bewaard tot (expires)"]).map(RecordWriter.csvField).joined(separator: ",")
        + "\n"
      for row in 0..<records.count {
        let values = records.record(at: row)
        out +=
          (schema.columns.indices.map { value(values, $0) } + [expiry(row)]).map(RecordWriter.csvField)
          .joined(separator: ",") + "\n"
      }
      return out
    case .json:
      var rows: [String] = []
      for row in 0..<records.count {
        let values = records.record(at: row)
        let fields = schema.columns.indices.map { c -> String in
          let column = schema.columns[c]
          var meaning = ""
          if case .category(let list) = column.type, case .int(let n)? = values[c] {
            meaning = ", \"meaning\": " + RecordWriter.json(list[Int(n)].label)
          }
          return "      {\"column\": \(RecordWriter.json(column.name)), \"label\": \(RecordWriter.json(column.label)), "
            + "\"value\": \(values[c] == nil ? "null" : RecordWriter.json(value(values, c)))\(meaning)}"
        }
        rows.append(
          "    {\"expires\": \(RecordWriter.json(expiry(row))), \"fields\": [\n" + fields.joined(separator: ",\n")
            + "\n    ]}")
      }
      return """
        {
          "request": \(RecordWriter.json(request)),
          "client_number": \(RecordWriter.json(clientNumber)),
          "restricted": \(restricted),
          "record_count": \(records.count),
          "records": [
        \(rows.joined(separator: ",\n"))
          ]
        }

        """
    }
  }
}
