// An NDJSON delivery: one JSON object per line, keys named as the schema's columns,
// values as strings, numbers, lists of flag names or null. Each problem names the
// character where its key starts.
import Foundation

extension IngestReader {
  mutating func readNDJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    let columns = schema.columns.count
    var line = 0
    var texts = [[UInt8]?](repeating: nil, count: columns)
    var positions = [Int](repeating: 0, count: columns)
    RecordScratch.with(columns: columns) { scratch in
      for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        line += 1
        let trimmed = ValueText.trimmed(raw.last == 0x0D ? raw.dropLast() : raw)
        if trimmed.isEmpty { continue }
        recordCount += 1
        let text = String(decoding: trimmed, as: UTF8.self)
        let object: [String: Any]
        do {
          guard let parsed = try JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any] else {
            let problem = IngestProblem(
              file: file, line: line, column: 1, field: "record", message: "is JSON but not an object")
            reject(line: line, text: text, [problem])
            continue
          }
          object = parsed
        } catch {
          let (column, message) = Self.jsonSyntaxProblem(error, length: trimmed.count)
          let problem = IngestProblem(file: file, line: line, column: column, field: "record", message: message)
          reject(line: line, text: text, [problem])
          continue
        }
        var bad: [IngestProblem] = []
        for c in texts.indices { texts[c] = nil }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
          let position =
            text.range(of: "\"\(name)\"").map { text.distance(from: text.startIndex, to: $0.lowerBound) + 1 } ?? 1
          guard let c = schema.index(of: name) else {
            bad.append(
              IngestProblem(file: file, line: line, column: position, field: name, message: unknownColumn(name)))
            continue
          }
          positions[c] = position
          if let value = Self.fieldText(value) {
            texts[c] = value
          } else {
            bad.append(
              IngestProblem(
                file: file, line: line, column: position, field: name,
                message: "must be a string, a number, a list of flag names or null"))
          }
        }
        for (c, column) in schema.columns.enumerated() where texts[c] == nil && !column.isNullable {
          bad.append(
            IngestProblem(file: file, line: line, column: 1, field: column.name, message: "a value is required"))
        }
        if !bad.isEmpty {
          reject(line: line, text: text, bad)
          continue
        }
        // The values one after another in one buffer, each field a range of it.
        var joined: [UInt8] = []
        for c in 0..<columns {
          guard let value = texts[c] else {
            scratch.fields[2 * c] = -1
            continue
          }
          (scratch.fields[2 * c], scratch.fields[2 * c + 1]) = (joined.count, joined.count + value.count)
          joined += value
        }
        joined.withUnsafeBufferPointer {
          check(
            scratch, values: $0, reuse: false, positions: positions, line: line, source: bytes,
            range: trimmed.startIndex..<trimmed.endIndex)
        }
      }
    }
  }

  /// A JSON value as the text of a field ([] for null); nil for a value of another form.
  private static func fieldText(_ value: Any) -> [UInt8]? {
    switch value {
    case is NSNull: []
    case let string as String: Array(string.utf8)
    case let number as NSNumber: Array(number.stringValue.utf8)
    case let list as [Any] where list.allSatisfy({ $0 is String }):
      Array((list as! [String]).joined(separator: ";").utf8)
    default: nil
    }
  }
}

extension IngestReader {
  /// Where a line's JSON breaks, from the parser's description ("… around character N.",
  /// 0-based, or an unexpected end): a column and a message that quotes none of the line.
  static func jsonSyntaxProblem(_ error: Error, length: Int) -> (column: Int, message: String) {
    let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
    if description.contains("end of file") { return (length + 1, "is not valid JSON: the line ends inside it") }
    if let range = description.range(of: "character "),
      let offset = Int(description[range.upperBound...].prefix { $0.isNumber })
    {
      return (offset + 1, "is not valid JSON here")
    }
    return (1, "is not valid JSON")
  }
}
