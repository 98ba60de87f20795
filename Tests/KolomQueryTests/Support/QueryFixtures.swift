// The data the query tests run on: a small hand-written set of cases (Scripts/cases.csv,
// whose results can be checked by hand) and a larger generated one, each in a store in
// memory at a fixed clock.
import Foundation
import Kolom
import KolomGenerator

/// Stores in memory for the query tests.
enum QueryFixtures {
  static let now = "2026-06-01T12:00:00Z"
  static let today = CivilDate(year: 2026, month: 6, day: 1)
  static let schemaFiles = try! SchemaFiles.retMonitor()
  static let schema = try! Schema.load(schemaFiles)

  /// The 20 records of Scripts/cases.csv.
  static let handWritten: RecordBatch = try! records(csv: scriptFile("cases.csv"))

  /// 20,000 generated records (seed 11), as the differential tests use them.
  static let generated: RecordBatch = try! CaseGenerator(
    schema: schema, options: GeneratorOptions(seed: 11, today: today)
  ).generate(count: 20_000)

  /// The hand-written records in a store: appended one client at a time, so years
  /// have several files.
  static let small: Database = database(handWritten, batches: 4, rowGroupSize: 4)

  /// The generated records in a store of row groups of 500 rows, in 3 appends.
  static let large: Database = database(generated, batches: 3, rowGroupSize: 500)

  /// `records` appended in `batches` parts to a new store in memory.
  static func database(
    _ records: RecordBatch, batches: Int, rowGroupSize: Int, fileSystem: any FileSystem = InMemoryFileSystem()
  ) -> Database {
    var options = StoreOptions()
    options.writer.rowGroupSize = rowGroupSize
    options.copyableRowGroupRows = 1
    let clock = StoreClock(now: { Instant.parse(now)! }, isOverridden: false)
    let store = try! Store.create(
      at: "/store", schema: schemaFiles, fileSystem: fileSystem, clock: clock, options: options)
    let size = (records.count + batches - 1) / batches
    for start in stride(from: 0, to: records.count, by: size) {
      _ = try! store.append(records.permuted(Array(start..<min(records.count, start + size))))
    }
    return Database(store: store)
  }

  /// The text of `name` in the test scripts' folder.
  static func scriptFile(_ name: String) throws -> String {
    let url = Bundle.module.url(forResource: "Scripts", withExtension: nil)!.appendingPathComponent(name)
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// The names of the query scripts (`*.test`), sorted.
  static func scriptNames() throws -> [String] {
    let url = Bundle.module.url(forResource: "Scripts", withExtension: nil)!
    return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".test") }.sorted()
  }

  /// Records from CSV with a header of schema column names: codes as in the code lists,
  /// ISO dates, flags separated by ';', the pseudonym as 32 hex digits. An empty field
  /// is NULL in a nullable column and the empty set in a flag set that is not.
  static func records(csv: String) throws -> RecordBatch {
    let rows = try CSVReader.records(csv, file: "cases.csv")
    let header = rows[0].fields
    var builder = RecordBatchBuilder(schema: schema)
    for row in rows.dropFirst() where row.fields.count == header.count {
      let byName = Dictionary(uniqueKeysWithValues: zip(header, row.fields))
      builder.append(schema.columns.map { fieldValue(byName[$0.name] ?? "", $0) })
    }
    return builder.build()
  }

  private static func fieldValue(_ text: String, _ column: SchemaColumn) -> FieldValue? {
    if text.isEmpty && column.isNullable { return nil }
    switch column.type {
    case .id:
      let digits = Array(text.utf8)
      return .bytes(
        stride(from: 0, to: digits.count, by: 2).map {
          UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        })
    case .category(let list): return .int(Int64(list.number(of: text)!))
    case .flags(let list):
      let mask = text.split(separator: ";").reduce(UInt64(0)) { $0 | 1 << UInt64(list.number(of: String($1))!) }
      return .flags(mask)
    case .date: return .int(CivilDate(iso: text)!.days)
    case .year, .int: return .int(Int64(text)!)
    }
  }
}

extension Value {
  /// The value as the tests compare it: numbers without their type (3 and 3.0 are
  /// equal, doubles to 9 significant digits), booleans as 1 and 0, NULL as NULL.
  var canonical: String {
    switch self {
    case .null: "NULL"
    case .int(let v): String(v)
    case .double(let v): Value.canonical(v)
    case .bool(let v): v ? "1" : "0"
    case .text(let v): v
    case .date(let d): d.description
    case .bytes(let b): b.map { String(format: "%02x", $0) }.joined()
    }
  }

  static func canonical(_ v: Double) -> String {
    if v.isNaN || v.isInfinite { return String(v) }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String(format: "%.9g", v)
  }
}

extension ResultSet {
  /// The rows as canonical text, cells separated by tabs.
  var canonicalRows: [String] { rows.map { $0.map(\.canonical).joined(separator: "\t") } }
}
