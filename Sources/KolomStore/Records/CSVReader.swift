// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends.
// Used for code lists now and for ingest later.

/// Parses RFC 4180 CSV text into records of fields.
public enum CSVReader {
  /// The records of `text`, each with the 1-based line it starts on.
  /// Throws `StoreError.malformedCSV` naming `file` and the line.
  /// - Complexity: O(text.utf8.count).
  public static func records(_ text: String, file: String) throws -> [(line: Int, fields: [String])] {
    var records: [(Int, [String])] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1
    var recordLine = 1
    var quoted = false
    var afterQuote = false
    let bytes = Array(text.utf8)
    var i = 0
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      afterQuote = false
    }
    while i < bytes.count {
      let b = bytes[i]
      if quoted {
        if b == UInt8(ascii: "\"") {
          if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
            field.append(b)
            i += 1
          } else {
            quoted = false
            afterQuote = true
          }
        } else {
          if b == UInt8(ascii: "\n") { line += 1 }
          field.append(b)
        }
      } else if b == UInt8(ascii: ",") {
        endField()
      } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
        if b == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
        endField()
        records.append((recordLine, fields))
        fields.removeAll()
        line += 1
        recordLine = line
      } else if b == UInt8(ascii: "\"") && field.isEmpty && !afterQuote {
        quoted = true
      } else if afterQuote {
        throw StoreError.malformedCSV(file: file, line: line, detail: "text after a closing quote")
      } else {
        field.append(b)
      }
      i += 1
    }
    if quoted { throw StoreError.malformedCSV(file: file, line: recordLine, detail: "quoted field is not closed") }
    if !field.isEmpty || !fields.isEmpty || afterQuote {
      endField()
      records.append((recordLine, fields))
    }
    return records
  }
}
