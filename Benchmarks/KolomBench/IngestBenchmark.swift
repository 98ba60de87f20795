// The ingest benchmark: a CSV delivery file of N generated records (synthetic client
// numbers) checked, pseudonymised and stored in a new store on disk, as `kolom ingest`
// does it: the file mapped and read, then the one durable append; and the whole
// `kolom ingest` process when the executable sits next to this benchmark.
// Target: 500k records/s from the CSV file into the store.
import Foundation
import KolomGenerator
import KolomStore

func runIngestBenchmark(records: Int, seed: UInt64, runs: Int, directory: String?) throws -> [String: Any] {
  let root = (directory ?? NSTemporaryDirectory()) + "/kolom-ingest-\(getpid())"
  defer { try? FileManager.default.removeItem(atPath: root) }
  try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  let path = root + "/delivery.csv"
  let size = try writeDelivery(records: records, seed: seed, to: path)
  let key = try PseudonymKey.generate(to: root + "/key")
  print("\n== ingest: \(records) records, \(size / 1_000_000) MB of CSV, \(runs) runs")
  var reads: [Double] = []
  var stores: [Double] = []
  for run in 0..<runs {
    let store = try Store.create(
      at: root + "/store-\(run)", schema: try SchemaFiles.retMonitor(), clock: .fixed(benchNow))
    let ingest = try Ingest(store: store, key: key)
    var watch = Stopwatch()
    let result = try DeliveryFile(path: path).withBytes { try ingest.read($0, file: path, format: .csv) }
    reads.append(watch.lap())
    precondition(result.problemCount == 0, "generated records have problems: \(result.problems.prefix(3))")
    try ingest.store(result, request: nil)
    stores.append(watch.lap())
    store.close()
    try FileManager.default.removeItem(atPath: root + "/store-\(run)")
  }
  let totals = zip(reads, stores).map { Double(records) / ($0 + $1) }.sorted()
  let rate = totals[runs / 2]
  print(row("check and pseudonymise (records/s)", String(format: "%.0f", Double(records) / reads.sorted()[runs / 2])))
  print(
    row("store, one durable append (records/s)", String(format: "%.0f", Double(records) / stores.sorted()[runs / 2])))
  print(
    row(
      "CSV file into the store (records/s)",
      String(format: "%.0f (target 500000; runs %.0f to %.0f)", rate, totals.first!, totals.last!)))
  var report: [String: Any] = [
    "records": records, "read_s": reads.sorted()[runs / 2], "store_s": stores.sorted()[runs / 2],
    "records_per_s": rate,
  ]
  if let process = try ingestProcesses(root: root, delivery: path, key: root + "/key", runs: runs) {
    let rates = process.map { Double(records) / $0 }.sorted()
    print(
      row(
        "kolom ingest process (records/s)",
        String(format: "%.0f (runs %.0f to %.0f)", rates[runs / 2], rates.first!, rates.last!)))
    report["process_records_per_s"] = rates[runs / 2]
  }
  return report
}

/// Writes `records` generated records to `path` as a CSV delivery; returns its size.
private func writeDelivery(records: Int, seed: UInt64, to path: String) throws -> Int {
  let schema = try Schema.retMonitor()
  let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: benchToday))
  let writer = RecordWriter(schema: schema, format: .csv)
  guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
  let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  defer { try? file.close() }
  var size = 0
  var text = writer.header
  generator.generate(count: records, batchSize: 100_000) { batch in
    for row in 0..<batch.count {
      let record = batch.record(at: row)
      text += writer.line(record, clientNumber: generator.clientNumber(of: record))
    }
    size += text.utf8.count
    file.write(Data(text.utf8))
    text = ""
  }
  return size
}

/// Wall times (s) of whole `kolom ingest` processes into new stores, when the kolom
/// executable sits next to this benchmark.
private func ingestProcesses(root: String, delivery: String, key: String, runs: Int) throws -> [Double]? {
  let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("kolom").path
  guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
  return try (0..<runs).map { run in
    let store = root + "/process-\(run)"
    try runProcess([executable, "init", store])
    var watch = Stopwatch()
    try runProcess([executable, "ingest", store, delivery, "--key", key, "--now", Instant.format(benchNow)])
    defer { try? FileManager.default.removeItem(atPath: store) }
    return watch.lap()
  }
}
