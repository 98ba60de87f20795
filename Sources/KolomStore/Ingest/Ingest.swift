// Ingest: a delivery file (CSV with a header row, or NDJSON) checked strictly against
// the schema and pseudonymised at the door. Every problem is reported as
// `FILE:LINE:COLUMN field: message`, all of them (up to a limit), never only the first;
// no message ever holds a client number. What to store is the caller's choice: all or
// nothing (the default), or the valid records with the bad ones set aside.
import Foundation
import KolomFormat

/// The form of a delivery file.
public enum DeliveryFormat: String, Sendable {
  case csv
  case ndjson
}

/// One problem of a delivery file.
public struct IngestProblem: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// 1-based: the field's place in a CSV row, or the character where its key starts in an NDJSON line.
  public var column: Int
  public var field: String
  public var message: String

  public var description: String { "\(file):\(line):\(column) \(field): \(message)" }
}

/// A delivery file, read and checked.
public struct IngestResult: Sendable {
  /// The valid records, pseudonymised.
  public var records: RecordBatch
  /// Every problem, in file order.
  public var problems: [IngestProblem]
  /// Records read (valid and bad).
  public var recordCount: Int
  /// Problems found; `problems` holds the first 1,000.
  public var problemCount: Int
  /// The bad records: their line, their text as delivered, and their problems.
  public var rejected: [(line: Int, text: String, problems: [IngestProblem])]
  /// The header line of a CSV file (for a reject file).
  public var header: String?
}

/// Reads delivery files for one store.
public struct Ingest {
  public let store: Store
  public let key: PseudonymKey
  private let text: ValueText
  private let now: Date

  /// Ingest into `store` under `key`; refused when the store's pseudonyms were made
  /// under another key.
  public init(store: Store, key: PseudonymKey) throws {
    if let stamp = store.manifest.pseudonymKey, stamp.fingerprint != key.fingerprint || stamp.version != key.version {
      throw StoreError.wrongKey(expected: "\(stamp.fingerprint) v\(stamp.version)", given: "\(key.fingerprint) v\(key.version)")
    }
    self.store = store
    self.key = key
    text = ValueText(schema: store.schema)
    now = store.clock.now()
  }

  /// Reads and checks `bytes`, the content of `file`.
  /// - Complexity: O(bytes), plus one pass over the pseudonyms of the years the file touches.
  /// `progress`, when given, hears (records, bytes) read so far every 65,536 records.
  public func read(
    _ bytes: [UInt8], file: String, format: DeliveryFormat, progress: ((Int, Int) -> Void)? = nil
  ) throws -> IngestResult {
    var reader = Reader(ingest: self, file: file)
    reader.progress = progress
    switch format {
    case .csv: reader.readCSV(bytes)
    case .ndjson: reader.readNDJSON(bytes)
    }
    try reader.checkAgainstStore()
    return reader.result()
  }

  /// Stores `result`'s valid records in one commit (stamping the store with the key
  /// on its first ingest). Returns what was stored per year.
  public func store(_ result: IngestResult, request: String?) throws -> AppendResult {
    if store.manifest.pseudonymKey == nil { try store.stampKey(KeyStamp(version: key.version, fingerprint: key.fingerprint)) }
    guard result.records.count > 0 else { return AppendResult(recordsPerYear: [:], filesCreated: 0) }
    return try store.append(result.records, change: Change("ingest", request: request))
  }

  fileprivate var schema: Schema { store.schema }
  fileprivate var values: ValueText { text }
  fileprivate var today: CivilDate { Retention.today(at: now) }
  fileprivate var at: Date { now }
}

/// A record's identity for duplicates: pseudonym and the other key columns (phase, date).
struct RecordKey: Hashable {
  var high: UInt64
  var low: UInt64
  var first: Int64
  var second: Int64

  init(_ id: ArraySlice<UInt8>, _ first: Int64, _ second: Int64) {
    var h: UInt64 = 0
    var l: UInt64 = 0
    for (i, b) in id.enumerated() {
      if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
    }
    (high, low, self.first, self.second) = (h, l, first, second)
  }
}

/// The state of reading one file.
private struct Reader {
  let ingest: Ingest
  let file: String
  let schema: Schema
  let limit = 1_000
  var builder: RecordBatchBuilder
  var problems: [IngestProblem] = []
  var problemCount = 0
  var rejected: [(line: Int, text: String, problems: [IngestProblem])] = []
  var recordCount = 0
  var header: String?
  var progress: ((Int, Int) -> Void)?
  /// Key → line of the valid records so far; the store check adds to `problems` later.
  var seen: [RecordKey: Int] = [:]
  var keyOfRecord: [RecordKey] = []
  var lineOfRecord: [Int] = []
  var textOfRecord: [String] = []
  var pseudonyms: [String: [UInt8]] = [:]
  let idColumn: Int
  let keyColumns: (Int, Int)
  let dateColumn: Int
  let birthYear: Int?
  let registration: Int?
  let closure: Int?
  let supportStart: Int?
  let retention: Retention

  init(ingest: Ingest, file: String) {
    self.ingest = ingest
    self.file = file
    schema = ingest.schema
    builder = RecordBatchBuilder(schema: schema)
    idColumn = schema.columns.firstIndex { if case .id = $0.type { true } else { false } } ?? 0
    // The schema's key: client, phase and record date.
    dateColumn = schema.index(of: schema.partitionColumn) ?? 0
    keyColumns = (schema.index(of: "fase") ?? dateColumn, dateColumn)
    birthYear = schema.index(of: "geboortejaar")
    registration = schema.index(of: "datum_aanmelding")
    closure = schema.index(of: "datum_afsluiting")
    supportStart = schema.index(of: "datum_start_ondersteuning")
    retention = ingest.store.retention
  }

  mutating func report(_ problem: IngestProblem) {
    problemCount += 1
    if problems.count < limit { problems.append(problem) }
  }

  // MARK: CSV

  mutating func readCSV(_ bytes: [UInt8]) {
    var lines = CSVLines(bytes)
    guard let (_, headerFields, headerText) = lines.next() else {
      report(IngestProblem(file: file, line: 1, column: 1, field: "header", message: "the file is empty; a header row is required"))
      return
    }
    header = headerText
    var columnOfField: [Int?] = []
    var fieldOfColumn = [Int?](repeating: nil, count: schema.columns.count)
    var headerProblems: [IngestProblem] = []
    for (f, name) in headerFields.enumerated() {
      let text = String(decoding: name, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if let c = schema.index(of: text) {
        if fieldOfColumn[c] != nil {
          headerProblems.append(IngestProblem(file: file, line: 1, column: f + 1, field: text, message: "the column appears twice"))
        }
        fieldOfColumn[c] = f
        columnOfField.append(c)
      } else {
        let suggestion = Suggestion.nearest(to: text, among: schema.columns.map(\.name))
        headerProblems.append(
          IngestProblem(
            file: file, line: 1, column: f + 1, field: text,
            message: "unknown column" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")))
        columnOfField.append(nil)
      }
    }
    for (c, column) in schema.columns.enumerated() where fieldOfColumn[c] == nil && !column.isNullable {
      headerProblems.append(
        IngestProblem(
          file: file, line: 1, column: headerFields.count + 1, field: column.name, message: "required column is missing"))
    }
    for problem in headerProblems { report(problem) }
    var fields = [ArraySlice<UInt8>?](repeating: nil, count: schema.columns.count)
    var positions = [Int](repeating: 0, count: schema.columns.count)
    while let (line, row, text) = lines.next() {
      recordCount += 1
      if recordCount & 0xFFFF == 0 { progress?(recordCount, lines.at) }
      if !headerProblems.isEmpty {
        rejected.append((line, text, headerProblems))
        continue
      }
      if row.count != headerFields.count {
        let problem = IngestProblem(
          file: file, line: line, column: min(row.count, headerFields.count) + 1, field: "record",
          message: "has \(row.count) fields, the header \(headerFields.count)")
        report(problem)
        rejected.append((line, text, [problem]))
        continue
      }
      for c in fields.indices {
        fields[c] = fieldOfColumn[c].map { row[$0] }
        positions[c] = (fieldOfColumn[c] ?? 0) + 1
      }
      record(fields, positions: positions, line: line, text: text)
    }
    if let error = lines.error {
      report(IngestProblem(file: file, line: error.line, column: 1, field: "record", message: error.message))
    }
  }

  // MARK: NDJSON

  mutating func readNDJSON(_ bytes: [UInt8]) {
    var line = 0
    var fields = [ArraySlice<UInt8>?](repeating: nil, count: schema.columns.count)
    var positions = [Int](repeating: 0, count: schema.columns.count)
    for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      line += 1
      let trimmed = ValueText.trimmed(raw.last == 0x0D ? raw.dropLast() : raw)
      if trimmed.isEmpty { continue }
      recordCount += 1
      let text = String(decoding: trimmed, as: UTF8.self)
      guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed))) as? [String: Any] else {
        let problem = IngestProblem(file: file, line: line, column: 1, field: "record", message: "is not a JSON object")
        report(problem)
        rejected.append((line, text, [problem]))
        continue
      }
      var bad: [IngestProblem] = []
      for c in fields.indices { fields[c] = nil }
      for (name, value) in object.sorted(by: { $0.key < $1.key }) {
        let position = text.range(of: "\"\(name)\"").map { text.distance(from: text.startIndex, to: $0.lowerBound) + 1 } ?? 1
        guard let c = schema.index(of: name) else {
          let suggestion = Suggestion.nearest(to: name, among: schema.columns.map(\.name))
          bad.append(
            IngestProblem(
              file: file, line: line, column: position, field: name,
              message: "unknown column" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")))
          continue
        }
        positions[c] = position
        switch value {
        case is NSNull: fields[c] = []
        case let string as String: fields[c] = Array(string.utf8)[...]
        case let number as NSNumber:
          fields[c] = Array(number.stringValue.utf8)[...]
        case let list as [Any] where list.allSatisfy({ $0 is String }):
          fields[c] = Array((list as! [String]).joined(separator: ";").utf8)[...]
        default:
          bad.append(
            IngestProblem(
              file: file, line: line, column: position, field: name,
              message: "must be a string, a number, a list of flag names or null"))
        }
      }
      for (c, column) in schema.columns.enumerated() where fields[c] == nil {
        if !column.isNullable {
          bad.append(IngestProblem(file: file, line: line, column: 1, field: column.name, message: "a value is required"))
        }
      }
      if !bad.isEmpty {
        for problem in bad { report(problem) }
        rejected.append((line, text, bad))
        continue
      }
      record(fields, positions: positions, line: line, text: text)
    }
  }

  // MARK: One record

  /// Checks one record's fields (by schema column; nil: not delivered) and keeps it
  /// when valid.
  mutating func record(_ fields: [ArraySlice<UInt8>?], positions: [Int], line: Int, text: String) {
    var values = [FieldValue?](repeating: nil, count: schema.columns.count)
    var bad: [IngestProblem] = []
    func problem(_ c: Int, _ message: String) {
      bad.append(IngestProblem(file: file, line: line, column: positions[c], field: schema.columns[c].name, message: message))
    }
    for c in schema.columns.indices {
      guard let field = fields[c] else { continue }
      if c == idColumn {
        // Never echo the value: it is a clear client number.
        let clear = String(decoding: ValueText.trimmed(field), as: UTF8.self)
        if clear.isEmpty {
          problem(c, "a value is required")
        } else if let pseudonym = pseudonyms[clear] ?? ingest.key.pseudonym(of: clear) {
          pseudonyms[clear] = pseudonym
          values[c] = .bytes(pseudonym)
        } else {
          problem(c, "is not a client number (at most 64 characters, no control characters)")
        }
        continue
      }
      switch ingest.values.parse(field, column: c) {
      case .success(let value): values[c] = value
      case .failure(let why): problem(c, why.description)
      }
    }
    if bad.isEmpty { crossCheck(values, problem) }
    if bad.isEmpty, case .bytes(let id)? = values[idColumn], case .int(let a)? = values[keyColumns.0],
      case .int(let b)? = values[keyColumns.1]
    {
      let key = RecordKey(id[...], a, b)
      if let first = seen[key] {
        problem(idColumn, "duplicate of line \(first): the same client, \(schema.columns[keyColumns.0].name) and \(schema.columns[keyColumns.1].name)")
      } else {
        seen[key] = line
        keyOfRecord.append(key)
      }
    }
    if bad.isEmpty {
      builder.append(values)
      lineOfRecord.append(line)
      textOfRecord.append(text)
    } else {
      for p in bad { report(p) }
      rejected.append((line, text, bad))
    }
  }

  /// The checks across fields: dates in order, not in the future, not in an expired year.
  func crossCheck(_ values: [FieldValue?], _ problem: (Int, String) -> Void) {
    func days(_ c: Int?) -> Int64? { c.flatMap { if case .int(let d)? = values[$0] { d } else { nil } } }
    guard let date = days(dateColumn) else { return }
    let today = ingest.today
    let recordDate = CivilDate(days: date)
    if date > today.days {
      problem(dateColumn, "\(recordDate) is after today (\(today), Europe/Amsterdam)")
    } else if retention.isExpired(year: recordDate.year, at: ingest.at) {
      problem(
        dateColumn,
        "\(recordDate) is in \(recordDate.year), which expired at \(Instant.local(retention.expiry(ofYear: recordDate.year))) "
          + "under the \(retention.years)-year retention period")
    }
    if let c = birthYear, let year = days(c), year > Int64(recordDate.year) {
      problem(c, "\(year) is after the year of the record date (\(recordDate))")
    }
    if let r = registration, let registered = days(r) {
      if let c = closure, let closed = days(c), closed < registered {
        problem(c, "\(CivilDate(days: closed)) is before the registration (\(CivilDate(days: registered)))")
      }
      if let c = supportStart, let started = days(c), started < registered {
        problem(c, "\(CivilDate(days: started)) is before the registration (\(CivilDate(days: registered)))")
      }
      if registered > date {
        problem(r, "\(CivilDate(days: registered)) is after the record date (\(recordDate))")
      }
    }
  }

  /// Marks the valid records whose key the store already holds as duplicates.
  mutating func checkAgainstStore() throws {
    guard !seen.isEmpty else { return }
    let existing = try ingest.store.existingKeys(among: Set(seen.keys), columns: (idColumn, keyColumns.0, keyColumns.1))
    guard !existing.isEmpty else { return }
    var keep: [Int] = []
    for (i, key) in keyOfRecord.enumerated() {
      if existing.contains(key) {
        let p = IngestProblem(
          file: file, line: lineOfRecord[i], column: 1, field: schema.columns[idColumn].name,
          message: "duplicate of a stored record: the same client, \(schema.columns[keyColumns.0].name) and \(schema.columns[keyColumns.1].name)")
        report(p)
        rejected.append((lineOfRecord[i], textOfRecord[i], [p]))
      } else {
        keep.append(i)
      }
    }
    let batch = builder.build().permuted(keep)
    builder = RecordBatchBuilder(schema: schema)
    kept = batch
    rejected.sort { $0.line < $1.line }
    problems.sort { $0.line < $1.line }
  }

  var kept: RecordBatch?

  func result() -> IngestResult {
    IngestResult(
      records: kept ?? builder.build(), problems: problems, recordCount: recordCount, problemCount: problemCount, rejected: rejected, header: header)
  }
}

/// The records of CSV bytes (RFC 4180: quoted fields, doubled quotes, CRLF or LF),
/// each with its line, its fields and its text.
struct CSVLines {
  let bytes: [UInt8]
  var at = 0
  var line = 1
  var error: (line: Int, message: String)?

  init(_ bytes: [UInt8]) {
    // A UTF-8 byte-order mark is not part of the first column's name.
    self.bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
  }

  mutating func next() -> (line: Int, fields: [ArraySlice<UInt8>], text: String)? {
    while at < bytes.count && error == nil {
      let start = at
      let first = line
      var fields: [ArraySlice<UInt8>] = []
      var fieldStart = at
      var i = at
      var ended = false
      while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: ",") {
          fields.append(bytes[fieldStart..<i])
          i += 1
          fieldStart = i
        } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
          fields.append(bytes[fieldStart..<i])
          let end = i
          i += (b == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n")) ? 2 : 1
          line += 1
          at = i
          ended = true
          if end == start { break }  // an empty line
          return (first, fields, String(decoding: bytes[start..<end], as: UTF8.self))
        } else if b == UInt8(ascii: "\"") && i == fieldStart {
          guard let (value, after, newlines) = quoted(from: i) else {
            error = (first, "a quoted field is not closed")
            return nil
          }
          line += newlines
          fields.append(value)
          i = after
          if i < bytes.count && ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) {
            error = (line, "text after a closing quote")
            return nil
          }
          if i < bytes.count && bytes[i] == UInt8(ascii: ",") {
            i += 1
            fieldStart = i
            if i == bytes.count { fields.append([]) }
          } else {
            fieldStart = -1
          }
        } else {
          i += 1
        }
        if fieldStart == -1 {
          // After a quoted field at the end of a record: the line break follows.
          let end = i
          if i < bytes.count {
            i += (bytes[i] == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n")) ? 2 : 1
            line += 1
          }
          at = i
          return (first, fields, String(decoding: bytes[start..<end], as: UTF8.self))
        }
      }
      if ended { continue }
      // The last record, without a line break.
      if fieldStart <= bytes.count && fieldStart >= 0 { fields.append(bytes[fieldStart..<bytes.count]) }
      at = bytes.count
      return (first, fields, String(decoding: bytes[start..<bytes.count], as: UTF8.self))
    }
    return nil
  }

  /// The unescaped value of the quoted field opening at `open`, the index after its
  /// closing quote, and the line breaks inside it.
  private func quoted(from open: Int) -> (ArraySlice<UInt8>, Int, Int)? {
    var value: [UInt8] = []
    var i = open + 1
    var newlines = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
          value.append(b)
          i += 2
          continue
        }
        return (value[...], i + 1, newlines)
      }
      if b == UInt8(ascii: "\n") { newlines += 1 }
      value.append(b)
      i += 1
    }
    return nil
  }
}
