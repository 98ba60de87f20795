// Helpers for the privacy tests: a fixed key, delivery files of generated records with
// synthetic client numbers, and ingest into an in-memory store.
import Foundation
import KolomGenerator
import Testing

@testable import KolomStore

/// A key with fixed bytes (tests only; real keys come from `PseudonymKey.generate`).
func testKey(_ fill: UInt8 = 7, version: Int = 1) -> PseudonymKey {
  try! PseudonymKey(version: version, key: [UInt8](repeating: fill, count: 32))
}

/// A CSV delivery of `count` generated records (seed `seed`) dated up to 2026-06-01,
/// and the clear client number of each record.
func deliveryCSV(_ count: Int, seed: UInt64 = 1, format: DeliveryFormat = .csv) -> (text: String, clients: [String]) {
  let generator = try! CaseGenerator(
    schema: testSchema, options: GeneratorOptions(seed: seed, today: CivilDate(year: 2026, month: 6, day: 1)))
  let writer = RecordWriter(schema: testSchema, format: format)
  var text = writer.header
  var clients: [String] = []
  let batch = generator.generate(count: count)
  for row in 0..<batch.count {
    let record = batch.record(at: row)
    let client = generator.clientNumber(of: record)
    clients.append(client)
    text += writer.line(record, clientNumber: client)
  }
  return (text, clients)
}

/// Reads `text` as delivery file `file` into `store` under `key`.
func read(
  _ text: String, into store: Store, key: PseudonymKey = testKey(), file: String = "delivery.csv",
  format: DeliveryFormat = .csv
)
  throws -> IngestResult
{
  try Ingest(store: store, key: key).read(Array(text.utf8), file: file, format: format)
}

/// Reads and stores `text`; fails the test if it has problems.
@discardableResult
func ingest(_ text: String, into store: Store, key: PseudonymKey = testKey()) throws -> AppendResult {
  let result = try read(text, into: store, key: key)
  #expect(result.problems.isEmpty, "\(result.problems.prefix(3))")
  return try Ingest(store: store, key: key).store(result, request: "TEST-INGEST")
}
