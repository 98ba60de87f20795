// The ingest benchmark: a CSV delivery of N generated records (synthetic client
// numbers) checked, pseudonymised and stored in a new store on disk, as `kolom ingest`
// does it: reading and checking, then the one durable append. Target: 500k records/s.
import Foundation
import KolomGenerator
import KolomStore

func runIngestBenchmark(records: Int, seed: UInt64, runs: Int, directory: String?) throws -> [String: Any] {
  let root = (directory ?? NSTemporaryDirectory()) + "/kolom-ingest-\(getpid())"
  defer { try? FileManager.default.removeItem(atPath: root) }
  try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  let schema = try Schema.retMonitor()
  let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: benchToday))
  let writer = RecordWriter(schema: schema, format: .csv)
  var text = writer.header
  generator.generate(count: records, batchSize: 100_000) { batch in
    for row in 0..<batch.count {
      let record = batch.record(at: row)
      text += writer.line(record, clientNumber: generator.clientNumber(of: record))
    }
  }
  let bytes = Array(text.utf8)
  text = ""
  let key = try PseudonymKey.generate(to: root + "/key")
  print("\n== ingest: \(records) records, \(bytes.count / 1_000_000) MB of CSV")
  var reads: [Double] = []
  var stores: [Double] = []
  for run in 0..<runs {
    let store = try Store.create(
      at: root + "/store-\(run)", schema: try SchemaFiles.retMonitor(), clock: .fixed(benchNow))
    let ingest = try Ingest(store: store, key: key)
    var watch = Stopwatch()
    let result = try ingest.read(bytes, file: "bench.csv", format: .csv)
    reads.append(watch.lap())
    precondition(result.problemCount == 0, "generated records have problems: \(result.problems.prefix(3))")
    try ingest.store(result, request: nil)
    stores.append(watch.lap())
    store.close()
    try FileManager.default.removeItem(atPath: root + "/store-\(run)")
  }
  let read = reads.sorted()[runs / 2]
  let stored = stores.sorted()[runs / 2]
  let rate = Double(records) / (read + stored)
  print(row("check and pseudonymise (records/s)", String(format: "%.0f", Double(records) / read)))
  print(row("store, one durable append (records/s)", String(format: "%.0f", Double(records) / stored)))
  print(row("CSV into the store (records/s)", String(format: "%.0f (target 500000)", rate)))
  return ["records": records, "read_s": read, "store_s": stored, "records_per_s": rate]
}
