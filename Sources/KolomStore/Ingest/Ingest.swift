// Ingest: a delivery file (CSV with a header row, or NDJSON) checked strictly against
// the schema and pseudonymised at the door. Every problem is reported as
// `FILE:LINE:COLUMN field: message`, all of them (up to a limit), never only the first;
// no message ever holds a client number. What to store is the caller's choice: all or
// nothing (the default), or the valid records with the bad ones set aside.
import Dispatch
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
  fileprivate let text: ValueText
  fileprivate let now: Date

  /// Ingest into `store` under `key`; refused when the store's pseudonyms were made
  /// under another key.
  public init(store: Store, key: PseudonymKey) throws {
    if let stamp = store.manifest.pseudonymKey, stamp.fingerprint != key.fingerprint || stamp.version != key.version {
      throw StoreError.wrongKey(
        expected: "\(stamp.fingerprint) v\(stamp.version)", given: "\(key.fingerprint) v\(key.version)")
    }
    self.store = store
    self.key = key
    text = ValueText(schema: store.schema)
    now = store.clock.now()
  }

  /// Reads and checks `bytes`, the content of `file`.
  /// - Complexity: O(bytes), plus one pass over the pseudonyms of the years the file touches.
  /// `progress`, when given, hears (records, bytes) read so far every 65,536 records
  /// (for a file read in two parts at once, the first part's counts twice over).
  public func read(
    _ bytes: [UInt8], file: String, format: DeliveryFormat, progress: ((Int, Int) -> Void)? = nil
  ) throws -> IngestResult {
    if format == .csv, let parts = Self.halves(bytes) {
      return try readInParallel(bytes, parts, file: file, progress: progress)
    }
    var reader = Reader(ingest: self, key: key, file: file)
    reader.progress = progress
    switch format {
    case .csv: reader.readCSV(bytes)
    case .ndjson: reader.readNDJSON(bytes)
    }
    try reader.checkAgainstStore()
    return reader.result()
  }

  /// A large CSV file without quotes, in two parts from a line break: the byte range of
  /// each part's records, and the lines before the second.
  static func halves(_ bytes: [UInt8]) -> (first: Range<Int>, second: Range<Int>, lines: Int)? {
    guard bytes.count >= 4 << 20 else { return nil }
    return bytes.withUnsafeBufferPointer { b -> (Range<Int>, Range<Int>, Int)? in
      guard memchr(b.baseAddress!, Int32(UInt8(ascii: "\"")), b.count) == nil,
        let headerEnd = b.firstIndex(of: 0x0A), let split = b[(b.count / 2)...].firstIndex(of: 0x0A)
      else { return nil }
      // Line by line with memchr (a record is a few hundred bytes).
      var lines = 0
      var at = headerEnd + 1
      while at <= split, let found = memchr(b.baseAddress! + at, 0x0A, split + 1 - at) {
        lines += 1
        at = b.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
      }
      return ((headerEnd + 1)..<(split + 1), (split + 1)..<b.count, lines)
    }
  }

  /// Both parts on both cores, each with its own HMAC context, then joined: a key in
  /// both parts is a duplicate in the second, and the store check runs on the rest.
  private func readInParallel(
    _ bytes: [UInt8], _ parts: (first: Range<Int>, second: Range<Int>, lines: Int), file: String,
    progress: ((Int, Int) -> Void)?
  ) throws -> IngestResult {
    var readers = [
      Reader(ingest: self, key: key, file: file),
      Reader(ingest: self, key: try key.copy(), file: file, lineOffset: parts.lines),
    ]
    readers[0].progress = progress.map { report in { records, bytes in report(2 * records, 2 * bytes) } }
    let boxes = readers.map { ReaderBox($0) }
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      boxes[i].reader.readCSV(bytes, records: i == 0 ? parts.first : parts.second, quoteFree: true)
    }
    var (first, second) = (boxes[0].reader, boxes[1].reader)
    second.dropHeaderProblems()
    second.rejectDuplicates(of: first.seen)
    try first.checkAgainstStore()
    try second.checkAgainstStore()
    // Each part's columns are built on a core of its own.
    let results = ResultBox()
    let parts = [ReaderBox(first), ReaderBox(second)]
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      let result = parts[i].reader.result()
      results.lock.withLock { results.parts[i] = result }
    }
    return results.parts[0]!.joined(with: results.parts[1]!)
  }

  /// Stores `result`'s valid records in one commit (stamping the store with the key
  /// on its first ingest). Returns what was stored per year.
  @discardableResult
  public func store(_ result: IngestResult, request: String?) throws -> AppendResult {
    if store.manifest.pseudonymKey == nil {
      try store.stampKey(KeyStamp(version: key.version, fingerprint: key.fingerprint))
    }
    guard result.records.count > 0 else { return AppendResult(recordsPerYear: [:], filesCreated: 0) }
    return try store.append(result.records, change: Change("ingest", request: request))
  }

  fileprivate var schema: Schema { store.schema }
}

/// A record's identity for duplicates: pseudonym and the other key columns (phase, date).
struct RecordKey: Hashable {
  var high: UInt64
  var low: UInt64
  var first: Int64
  var second: Int64

  init<C: Collection<UInt8>>(_ id: C, _ first: Int64, _ second: Int64) {
    var h: UInt64 = 0
    var l: UInt64 = 0
    for (i, b) in id.enumerated() {
      if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
    }
    (high, low, self.first, self.second) = (h, l, first, second)
  }
}

/// The two parts' results, filled from two threads.
private final class ResultBox: @unchecked Sendable {
  let lock = NSLock()
  var parts: [IngestResult?] = [nil, nil]
}

/// A reader shared with a worker thread (each thread has its own).
private final class ReaderBox: @unchecked Sendable {
  var reader: Reader
  init(_ reader: Reader) { self.reader = reader }
}

extension IngestResult {
  /// This result followed by `other`, a later part of the same file.
  func joined(with other: IngestResult) -> IngestResult {
    let (schema, first, second) = (records.schema, records, other.records)
    // Column by column on both cores.
    let columns = parallelMap(schema.physical.columns.indices) { c in
      ColumnData.concatenate([first.columns[c], second.columns[c]], column: schema.physical.columns[c])
    }
    return IngestResult(
      records: RecordBatch(schema: schema, columns: columns),
      problems: Array((problems + other.problems).prefix(1_000)), recordCount: recordCount + other.recordCount,
      problemCount: problemCount + other.problemCount, rejected: rejected + other.rejected, header: header)
  }
}

/// The state of reading one file (or one part of it).
private struct Reader {
  let ingest: Ingest
  let file: String
  /// Lines before this part (0 unless it is a later part of a file).
  let lineOffset: Int
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
  /// Where each valid record's text lies in `source` (its text is made only if it is rejected).
  var rangeOfRecord: [Range<Int>] = []
  var source: [UInt8] = []
  /// Pseudonyms already computed, by the FNV-1a hash of the clear number (checked byte for byte).
  var pseudonyms: [UInt64: (clear: [UInt8], pseudonym: [UInt8])] = [:]
  /// The current record's values, raw (see `record`).
  var raw: [Int64]
  /// The previous record's fields (ranges of the same buffer), which of them parsed
  /// without a problem, its nulls and its pseudonym: `record` reuses equal fields' values.
  var lastFields: [Range<Int>?]
  var lastParsed: UInt64 = 0
  var lastNulls: UInt64 = 0
  var lastPseudonym: [UInt8] = []
  /// Whether the fields of consecutive records are ranges of one buffer (CSV).
  var memo = false
  let text: ValueText
  let key: PseudonymKey
  let rules: RecordRules
  /// Per year, whether it is expired now.
  var expired: [Int: Bool] = [:]
  let idColumn: Int
  let keyColumns: (Int, Int)
  let dateColumn: Int
  let retention: Retention

  init(ingest: Ingest, key: PseudonymKey, file: String, lineOffset: Int = 0) {
    self.ingest = ingest
    self.file = file
    self.key = key
    self.lineOffset = lineOffset
    schema = ingest.schema
    builder = RecordBatchBuilder(schema: schema)
    idColumn = schema.columns.firstIndex { if case .id = $0.type { true } else { false } } ?? 0
    // The schema's key: client, phase and record date.
    dateColumn = schema.index(of: schema.partitionColumn) ?? 0
    keyColumns = (schema.index(of: "fase") ?? dateColumn, dateColumn)
    retention = ingest.store.retention
    rules = RecordRules(schema: schema, today: Retention.today(at: ingest.now), retention: retention)
    precondition(schema.columns.count <= 64, "a record of more than 64 columns")
    raw = [Int64](repeating: 0, count: schema.columns.count)
    lastFields = [Range<Int>?](repeating: nil, count: schema.columns.count)
    text = ingest.text
  }

  func textOf(_ range: Range<Int>) -> String { String(decoding: source[range], as: UTF8.self) }

  /// What two records with one key share, for duplicate messages.
  var keyNames: String {
    "the same client, \(schema.columns[keyColumns.0].name) and \(schema.columns[keyColumns.1].name)"
  }

  /// The message for a name that is not a column, with the nearest column's name.
  func unknownColumn(_ name: String) -> String {
    "unknown column"
      + (Suggestion.nearest(to: name, among: schema.columns.map(\.name)).map { "; did you mean '\($0)'?" } ?? "")
  }

  mutating func report(_ problem: IngestProblem) {
    problemCount += 1
    if problems.count < limit { problems.append(problem) }
  }

  // MARK: CSV

  /// Reads CSV `bytes`: its header, then the records in `records` (all when nil).
  /// `quoteFree`: the caller has checked that `bytes` hold no quote.
  mutating func readCSV(_ bytes: [UInt8], records: Range<Int>? = nil, quoteFree: Bool = false) {
    source = bytes
    let size = records?.count ?? bytes.count
    seen.reserveCapacity(size / 200)
    builder = RecordBatchBuilder(schema: schema, capacity: size / 250)
    if quoteFree || memchr(bytes, Int32(UInt8(ascii: "\"")), bytes.count) == nil {
      // Without quotes nothing is unescaped, so the bytes are read where they are.
      bytes.withUnsafeBufferPointer { readCSV(in: UnsafeMutableBufferPointer(mutating: $0), records: records) }
    } else {
      // A working copy: quoted fields are unescaped in place.
      var work = bytes
      work.withUnsafeMutableBufferPointer { readCSV(in: $0, records: records) }
    }
  }

  private mutating func readCSV(in buffer: UnsafeMutableBufferPointer<UInt8>, records: Range<Int>?) {
    let bytes = UnsafeBufferPointer(buffer)
    memo = true
    var lines = CSVLines(buffer)
    var row: [Range<Int>] = []
    guard let (_, headerRange) = lines.next(into: &row) else {
      report(
        IngestProblem(
          file: file, line: 1, column: 1, field: "header", message: "the file is empty; a header row is required"))
      return
    }
    header = textOf(headerRange)
    let headerFields = row
    if let records { lines.limit(to: records) }
    var columnOfField: [Int?] = []
    var fieldOfColumn = [Int?](repeating: nil, count: schema.columns.count)
    var headerProblems: [IngestProblem] = []
    for (f, range) in headerFields.enumerated() {
      let text = String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if let c = schema.index(of: text) {
        if fieldOfColumn[c] != nil {
          headerProblems.append(
            IngestProblem(file: file, line: 1, column: f + 1, field: text, message: "the column appears twice"))
        }
        fieldOfColumn[c] = f
        columnOfField.append(c)
      } else {
        headerProblems.append(
          IngestProblem(file: file, line: 1, column: f + 1, field: text, message: unknownColumn(text)))
        columnOfField.append(nil)
      }
    }
    for (c, column) in schema.columns.enumerated() where fieldOfColumn[c] == nil && !column.isNullable {
      headerProblems.append(
        IngestProblem(
          file: file, line: 1, column: headerFields.count + 1, field: column.name, message: "required column is missing"
        ))
    }
    for problem in headerProblems { report(problem) }
    var fields = [Range<Int>?](repeating: nil, count: schema.columns.count)
    let positions = fieldOfColumn.map { ($0 ?? 0) + 1 }
    while let (partLine, range) = lines.next(into: &row) {
      let line = partLine + lineOffset
      recordCount += 1
      if recordCount & 0xFFFF == 0 { progress?(recordCount, lines.at) }
      if !headerProblems.isEmpty {
        rejected.append((line, textOf(range), headerProblems))
        continue
      }
      if row.count != headerFields.count {
        let problem = IngestProblem(
          file: file, line: line, column: min(row.count, headerFields.count) + 1, field: "record",
          message: "has \(row.count) fields, the header \(headerFields.count)")
        report(problem)
        rejected.append((line, textOf(range), [problem]))
        continue
      }
      for c in fields.indices { fields[c] = fieldOfColumn[c].map { row[$0] } }
      record(fields, in: bytes, positions: positions, line: line, range: range)
    }
    if let error = lines.error {
      report(
        IngestProblem(file: file, line: error.line + lineOffset, column: 1, field: "record", message: error.message))
    }
  }

  // MARK: NDJSON

  mutating func readNDJSON(_ bytes: [UInt8]) {
    source = bytes
    var line = 0
    var texts = [[UInt8]?](repeating: nil, count: schema.columns.count)
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
        switch value {
        case is NSNull: texts[c] = []
        case let string as String: texts[c] = Array(string.utf8)
        case let number as NSNumber: texts[c] = Array(number.stringValue.utf8)
        case let list as [Any] where list.allSatisfy({ $0 is String }):
          texts[c] = Array((list as! [String]).joined(separator: ";").utf8)
        default:
          bad.append(
            IngestProblem(
              file: file, line: line, column: position, field: name,
              message: "must be a string, a number, a list of flag names or null"))
        }
      }
      for (c, column) in schema.columns.enumerated() where texts[c] == nil {
        if !column.isNullable {
          bad.append(
            IngestProblem(file: file, line: line, column: 1, field: column.name, message: "a value is required"))
        }
      }
      if !bad.isEmpty {
        for problem in bad { report(problem) }
        rejected.append((line, text, bad))
        continue
      }
      // The values one after another in one buffer, each field a range of it.
      var joined: [UInt8] = []
      let fields = texts.map { text -> Range<Int>? in
        guard let text else { return nil }
        joined += text
        return (joined.count - text.count)..<joined.count
      }
      joined.withUnsafeBufferPointer {
        record(fields, in: $0, positions: positions, line: line, range: trimmed.startIndex..<trimmed.endIndex)
      }
    }
  }

  // MARK: One record

  /// Checks one record's fields (by schema column; nil: not delivered) and keeps it
  /// when valid.
  mutating func record(
    _ fields: [Range<Int>?], in bytes: UnsafeBufferPointer<UInt8>, positions: [Int], line: Int, range: Range<Int>
  ) {
    var bad: [IngestProblem] = []
    func problem(_ c: Int, _ message: String) {
      bad.append(
        IngestProblem(file: file, line: line, column: positions[c], field: schema.columns[c].name, message: message))
    }
    // The record's values as raw integers (codes, days, years, flag masks), a bit per
    // null column, and the pseudonym: no enum per value in the hot loop.
    var nulls: UInt64 = 0
    var pseudonym = lastPseudonym
    var parsed: UInt64 = 0
    for c in schema.columns.indices {
      guard let place = fields[c] else {
        nulls |= 1 << UInt64(c)
        continue
      }
      let field = bytes[place]
      // A case's records lie side by side and share most values: a field with the bytes
      // of the previous record's field (parsed without a problem) keeps its value.
      if memo, lastParsed >> UInt64(c) & 1 == 1, let last = lastFields[c], last.count == place.count,
        place.isEmpty
          || memcmp(bytes.baseAddress! + place.lowerBound, bytes.baseAddress! + last.lowerBound, place.count) == 0
      {
        nulls |= lastNulls & (1 << UInt64(c))
        parsed |= 1 << UInt64(c)
        continue
      }
      lastFields[c] = place
      if c == idColumn {
        // Never echo the value: it is a clear client number.
        let clear = ValueText.trimmed(field)
        let hash = ValueText.hash(clear)
        if clear.isEmpty {
          problem(c, "a value is required")
        } else if let known = pseudonyms[hash], known.clear.elementsEqual(clear) {
          pseudonym = known.pseudonym
          parsed |= 1 << UInt64(c)
        } else if let made = key.pseudonym(of: clear) {
          pseudonyms[hash] = (Array(clear), made)
          pseudonym = made
          parsed |= 1 << UInt64(c)
        } else {
          problem(c, "is not a client number (at most 64 characters, no control characters)")
        }
        continue
      }
      var why: ValueProblem?
      switch text.parse(field, column: c, problem: &why) {
      case .int(let v)?: raw[c] = v
      case .flags(let mask)?: raw[c] = Int64(bitPattern: mask)
      case .bytes?, nil: nulls |= 1 << UInt64(c)
      }
      if let why { problem(c, why.description) } else { parsed |= 1 << UInt64(c) }
    }
    (lastParsed, lastNulls, lastPseudonym) = (parsed, nulls, pseudonym)
    if bad.isEmpty {
      let day = raw[dateColumn]
      let year = CivilDate.year(ofDays: day)
      let isExpired = expired[year] ?? retention.isExpired(year: year, at: ingest.now)
      expired[year] = isExpired
      let values = raw
      let absent = nulls
      for (c, message) in rules.check({ absent >> UInt64($0) & 1 == 0 ? values[$0] : nil }, expired: isExpired) {
        problem(c, message)
      }
    }
    if bad.isEmpty {
      let key = RecordKey(pseudonym, raw[keyColumns.0], raw[keyColumns.1])
      if let first = seen[key] {
        problem(idColumn, "duplicate of line \(first): \(keyNames)")
      } else {
        seen[key] = line
        keyOfRecord.append(key)
      }
    }
    if bad.isEmpty {
      raw.withUnsafeBufferPointer { builder.append(raw: $0, nulls: nulls, id: pseudonym) }
      lineOfRecord.append(line)
      rangeOfRecord.append(range)
    } else {
      for p in bad { report(p) }
      rejected.append((line, textOf(range), bad))
    }
  }

  /// Marks the valid records whose key the store already holds as duplicates.
  mutating func checkAgainstStore() throws {
    guard !seen.isEmpty, ingest.store.manifest.years.contains(where: { $0.rows > 0 }) else { return }
    let existing = try ingest.store.existingKeys(among: seen, columns: (idColumn, keyColumns.0, keyColumns.1))
    let message = "duplicate of a stored record: \(keyNames)"
    drop(where: { existing.contains($0) }, message: { _ in message })
  }

  /// Sets aside the valid records whose key `earlier` (an earlier part of the file) holds.
  mutating func rejectDuplicates(of earlier: [RecordKey: Int]) {
    let names = keyNames
    drop(where: { earlier[$0] != nil }, message: { key in "duplicate of line \(earlier[key]!): \(names)" })
  }

  /// A later part repeats the header problems the first part reported.
  mutating func dropHeaderProblems() {
    let before = problems.count
    problems.removeAll { $0.line == 1 }
    problemCount -= before - problems.count
  }

  /// Sets aside the valid records whose key `matches`, each with `message(key)`.
  private mutating func drop(where matches: (RecordKey) -> Bool, message: (RecordKey) -> String) {
    var keep: [Int] = []
    for (i, key) in keyOfRecord.enumerated() {
      if matches(key) {
        let p = IngestProblem(
          file: file, line: lineOfRecord[i], column: 1, field: schema.columns[idColumn].name, message: message(key))
        report(p)
        rejected.append((lineOfRecord[i], textOf(rangeOfRecord[i]), [p]))
        seen[key] = nil
      } else {
        keep.append(i)
      }
    }
    guard keep.count < keyOfRecord.count else { return }
    kept = (kept ?? builder.build()).permuted(keep)
    keyOfRecord = keep.map { keyOfRecord[$0] }
    lineOfRecord = keep.map { lineOfRecord[$0] }
    rangeOfRecord = keep.map { rangeOfRecord[$0] }
    rejected.sort { $0.line < $1.line }
    problems.sort { $0.line < $1.line }
  }

  var kept: RecordBatch?

  func result() -> IngestResult {
    IngestResult(
      records: kept ?? builder.build(), problems: problems, recordCount: recordCount, problemCount: problemCount,
      rejected: rejected, header: header)
  }
}

/// The records of CSV bytes (RFC 4180: quoted fields, doubled quotes, CRLF or LF),
/// each with its line and its byte range; fields are ranges of the buffer, quoted ones
/// unescaped in place.
struct CSVLines {
  let bytes: UnsafeMutableBufferPointer<UInt8>
  var at = 0
  /// Where reading stops.
  var end: Int
  var line = 1
  var error: (line: Int, message: String)?

  init(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
    self.bytes = bytes
    end = bytes.count
    // A UTF-8 byte-order mark is not part of the first column's name.
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { at = 3 }
  }

  /// Reads on only within `range` (records that start and end in it), after the header.
  mutating func limit(to range: Range<Int>) {
    at = range.lowerBound
    end = range.upperBound
  }

  /// The next record's fields into `fields`; its first line and its range.
  mutating func next(into fields: inout [Range<Int>]) -> (line: Int, range: Range<Int>)? {
    let comma = UInt8(ascii: ",")
    let newline = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")
    let quote = UInt8(ascii: "\"")
    let count = end
    while at < count && error == nil {
      fields.removeAll(keepingCapacity: true)
      let start = at
      let first = line
      var fieldStart = at
      var i = at
      while true {
        if i == count {
          // The last record, without a line break.
          fields.append(fieldStart..<i)
          at = count
          return (first, start..<count)
        }
        let b = bytes[i]
        if b == comma {
          fields.append(fieldStart..<i)
          i += 1
          fieldStart = i
        } else if b == newline || b == cr {
          let end = i
          i += (b == cr && i + 1 < count && bytes[i + 1] == newline) ? 2 : 1
          line += 1
          at = i
          if end == start { break }  // an empty line
          fields.append(fieldStart..<end)
          return (first, start..<end)
        } else if b == quote && i == fieldStart {
          guard let (value, after) = unquote(from: i) else {
            error = (first, "a quoted field is not closed")
            return nil
          }
          i = after
          if i < count && bytes[i] != comma && bytes[i] != newline && bytes[i] != cr {
            error = (line, "text after a closing quote")
            return nil
          }
          // The field is the unescaped value; what follows is the separator.
          if i < count && bytes[i] == comma {
            fields.append(value)
            i += 1
            fieldStart = i
          } else {
            fieldStart = value.lowerBound
            // End the record here with the value as the last field.
            let end = i
            if i < count {
              i += (bytes[i] == cr && i + 1 < count && bytes[i + 1] == newline) ? 2 : 1
              line += 1
            }
            at = i
            fields.append(value)
            return (first, start..<end)
          }
        } else {
          i += 1
        }
      }
    }
    return nil
  }

  /// Unescapes the quoted field opening at `open` in place: the range of its value and
  /// the index after its closing quote. Counts the line breaks inside it.
  private mutating func unquote(from open: Int) -> (Range<Int>, Int)? {
    let quote = UInt8(ascii: "\"")
    var read = open + 1
    var write = open
    while read < end {
      let b = bytes[read]
      if b == quote {
        if read + 1 < end && bytes[read + 1] == quote {
          bytes[write] = quote
          write += 1
          read += 2
          continue
        }
        return (open..<write, read + 1)
      }
      if b == UInt8(ascii: "\n") { line += 1 }
      bytes[write] = b
      write += 1
      read += 1
    }
    return nil
  }
}
