// The state of reading one delivery file (or one part of it): each record checked field
// by field and across fields, pseudonymised, and kept as a row or set aside with its
// problems; then duplicates against an earlier part and against the store.
import Foundation

/// Reads the records of one file, or of one part of it.
struct IngestReader {
  let file: String
  /// Lines before this part (0 unless it is a later part of a file).
  var lineOffset = 0
  let store: Store
  let schema: Schema
  let key: PseudonymKey
  let text: ValueText
  let rules: RecordRules
  let now: Date
  let idColumn: Int
  /// The key columns besides the client: phase and record date.
  let keyColumns: (Int, Int)
  let dateColumn: Int
  /// Years before it are expired now.
  let oldestLiveYear: Int
  let problemLimit = 1_000

  /// The valid records, pseudonymised, and their keys.
  var rows: RecordRows
  var keys: RecordKeyTable
  /// Per valid record: its line and where its text lies in the file.
  var lineOfRow: [Int] = []
  var rangeOfRow: [Range<Int>] = []
  /// Valid records found to be duplicates after reading, to be left out.
  var isDropped: [Bool] = []
  var problems: [IngestProblem] = []
  var problemCount = 0
  var rejected: [(line: Int, text: String, problems: [IngestProblem])] = []
  var recordCount = 0
  var header: String?
  var progress: ((Int, Int) -> Void)?
  /// Which fields of the previous record parsed without a problem, and its nulls:
  /// `check` reuses the value of a field equal to the previous record's.
  var lastParsed: UInt64 = 0
  var lastNulls: UInt64 = 0

  init(ingest: Ingest, file: String, capacity: Int = 0) {
    self.file = file
    store = ingest.store
    schema = ingest.store.schema
    key = ingest.key
    text = ingest.text
    now = ingest.now
    rules = RecordRules(schema: schema, today: Retention.today(at: now), retention: store.retention)
    oldestLiveYear = store.retention.oldestLiveYear(at: now)
    idColumn = schema.columns.firstIndex { if case .id = $0.type { true } else { false } } ?? 0
    // The schema's key: client, phase and record date.
    dateColumn = schema.index(of: schema.partitionColumn) ?? 0
    keyColumns = (schema.index(of: "fase") ?? dateColumn, dateColumn)
    rows = RecordRows(schema: schema, capacity: capacity)
    keys = RecordKeyTable(columns: keyColumns, capacity: capacity)
    lineOfRow.reserveCapacity(capacity)
    rangeOfRow.reserveCapacity(capacity)
  }

  /// What two records with one key share, for duplicate messages.
  var keyNames: String {
    "the same client, \(schema.columns[keyColumns.0].name) and \(schema.columns[keyColumns.1].name)"
  }

  mutating func report(_ problem: IngestProblem) {
    problemCount += 1
    if problems.count < problemLimit { problems.append(problem) }
  }

  /// Sets the record at `line` aside with its problems (reported too).
  mutating func reject(line: Int, text: String, _ bad: [IngestProblem]) {
    for problem in bad { report(problem) }
    rejected.append((line, text, bad))
  }

  /// The result of reading: the valid records that are not duplicates, every problem.
  mutating func result() -> IngestResult {
    if isDropped.contains(true) {
      rows = rows.permuted(isDropped.indices.filter { !isDropped[$0] })
      // Set aside after reading, so out of line order.
      rejected = rejected.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(
        \.element)
      problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(
        \.element)
    }
    return IngestResult(
      records: [rows], problems: problems, recordCount: recordCount, problemCount: problemCount, rejected: rejected,
      header: header)
  }
}

/// Working memory of `IngestReader.check`, kept from one record to the next.
struct RecordScratch {
  /// The record's raw values by schema column (see RecordRows).
  let raw: UnsafeMutableBufferPointer<Int64>
  /// Start and end of each schema column's field in the value bytes; start -1 when the
  /// file has no such column.
  let fields: UnsafeMutableBufferPointer<Int>
  /// The previous record's fields, for reuse.
  let last: UnsafeMutableBufferPointer<Int>
  /// The pseudonym of the current record (of the previous one until it is made).
  let id: UnsafeMutableBufferPointer<UInt8>

  /// Runs `body` with working memory for records of `columns` columns.
  static func with<T>(columns: Int, _ body: (RecordScratch) throws -> T) rethrows -> T {
    let scratch = RecordScratch(
      raw: .allocate(capacity: columns), fields: .allocate(capacity: 2 * columns),
      last: .allocate(capacity: 2 * columns), id: .allocate(capacity: PseudonymKey.width))
    scratch.raw.initialize(repeating: 0)
    scratch.fields.initialize(repeating: -1)
    scratch.last.initialize(repeating: -1)
    scratch.id.initialize(repeating: 0)
    defer {
      scratch.raw.deallocate()
      scratch.fields.deallocate()
      scratch.last.deallocate()
      scratch.id.deallocate()
    }
    return try body(scratch)
  }
}
