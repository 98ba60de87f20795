// Helpers for store tests: stores in memory at a fixed clock, generated records,
// and a fingerprint of a store's content to compare states.
import Foundation
import KolomFormat
import KolomGenerator
import Testing

@testable import KolomStore

let storePath = "/store"
let testSchemaFiles = try! SchemaFiles.retMonitor()
let testSchema = try! Schema.load(testSchemaFiles)

/// An instant from ISO 8601 text.
func instant(_ text: String) -> Date { Instant.parse(text)! }

/// `count` generated records dated up to `today`, from `seed`.
func records(_ count: Int, seed: UInt64 = 1, today: CivilDate, retentionYears: Int = 10) -> RecordBatch {
  let generator = try! CaseGenerator(
    schema: testSchema, options: GeneratorOptions(seed: seed, today: today, retentionYears: retentionYears))
  return generator.generate(count: count)
}

/// `count` generated records all dated in `year` (taken from a larger generated set).
func records(_ count: Int, inYear year: Int, seed: UInt64 = 1) -> RecordBatch {
  let all = records(count * 12, seed: seed, today: CivilDate(year: year, month: 12, day: 31), retentionYears: 1)
  let byYear = all.splitByYear().first { $0.year == year }!.records
  return byYear.permuted(Array(0..<min(count, byYear.count)))
}

/// A new store in memory at `now`.
func makeStore(
  _ fileSystem: any FileSystem, now: String = "2026-06-01T12:00:00Z", retention: Int = 10,
  options: StoreOptions = StoreOptions()
) throws -> Store {
  try Store.create(
    at: storePath, schema: testSchemaFiles, retentionYears: retention, fileSystem: fileSystem,
    clock: StoreClock(now: { instant(now) }, isOverridden: false), options: options)
}

func openStore(
  _ fileSystem: any FileSystem, now: String = "2026-06-01T12:00:00Z", mode: Store.Mode = .writer,
  options: StoreOptions = StoreOptions()
) throws -> Store {
  try Store.open(
    at: storePath, mode: mode, fileSystem: fileSystem, clock: StoreClock(now: { instant(now) }, isOverridden: false),
    options: options)
}

/// The store's live records as sorted "pseudonym date phase" lines: equal content,
/// equal fingerprint, whatever the files.
func fingerprint(_ store: Store) throws -> [String] {
  fingerprint(try store.snapshot().records())
}

func fingerprint(_ batch: RecordBatch) -> [String] {
  guard case .bytes(let ids, let width)? = batch.physicalValues("clientnummer"),
    case .integers(let dates)? = batch.physicalValues("datum"),
    case .integers(let phases)? = batch.physicalValues("fase")
  else { return [] }
  return (0..<batch.count).map { row in
    ids[(row * width)..<(row * width + width)].map { String($0, radix: 16) }.joined() + " \(dates[row]) \(phases[row])"
  }.sorted()
}

/// Every byte under the store, and every decompressed chunk of every segment file,
/// searched for `needle`.
func storeContains(_ fileSystem: InMemoryFileSystem, _ needle: [UInt8]) -> [String] {
  var hits: [String] = []
  for (path, bytes) in fileSystem.allFiles() {
    if contains(bytes, needle) { hits.append(path) }
    guard let reader = try? SegmentReader(InMemorySegment(bytes)) else { continue }
    for g in reader.footer.rowGroups.indices {
      for c in reader.footer.columns.indices {
        guard let data = try? reader.read(rowGroup: g, column: c), case .bytes(let raw, _) = data.values else {
          continue
        }
        if contains(raw, needle) { hits.append("\(path) chunk (\(g), \(c))") }
      }
    }
  }
  return hits
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
  guard needle.count <= haystack.count else { return false }
  for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
    if Array(haystack[start..<(start + needle.count)]) == needle { return true }
  }
  return false
}
