// The store benchmark: append throughput in batches of 100k, 1k and 1 record (each
// append durable), files created, compaction, verify and full-scan times, and bytes
// per record after compaction, on a real directory.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

/// Runs the store benchmark; returns its JSON report.
func runStoreBenchmark(records: Int, seed: UInt64, directory: String?) throws -> [String: Any] {
  let root = directory ?? NSTemporaryDirectory() + "kolom-bench-\(getpid())"
  try? FileManager.default.removeItem(atPath: root)
  try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
  let bench = StoreBench(root: root, seed: seed)
  print("\n== store: \(records) records in \(root)")

  let bulk = try bench.appendAll(records, batchSize: 100_000, name: "bulk")
  let thousands = try bench.appendAll(min(records, 200_000), batchSize: 1_000, name: "k1")
  let singles = try bench.singleRecordAppends(10_000)

  print(cells(["appends of", "records", "records/s", "files made", "files/year", "tidy s", "B/record"]))
  for result in [bulk, thousands] {
    print(
      cells([
        String(result.batchSize), String(result.records), String(format: "%.0f", result.recordsPerSecond),
        String(result.filesCreated), String(result.filesPerYearAfterClose), String(format: "%.2f", result.closeSeconds),
        String(format: "%.2f", result.bytesPerRecord),
      ]))
  }
  print("")
  print(row("compaction of the 1k-batch store (s)", String(format: "%.2f", thousands.compactSeconds)))
  print(row("verify of the bulk store (s)", String(format: "%.2f", bulk.verifySeconds)))
  print(row("full scan of the bulk store (s)", String(format: "%.3f", bulk.scanSeconds)))
  print(row("single-record append, median (ms)", String(format: "%.2f", singles.medianMilliseconds)))
  print(row("single-record append, p99 (ms)", String(format: "%.2f", singles.p99Milliseconds)))
  print(row("files/year, 10k single appends + close", String(singles.filesPerYear)))
  print(row("files/year, same 10k as one append", String(singles.bulkFilesPerYear)))
  print(
    row(
      "full scan, singles / bulk (ms)",
      String(format: "%.2f / %.2f", singles.scanMilliseconds, singles.bulkScanMilliseconds)))
  return [
    "append": [bulk.json, thousands.json],
    "compaction_seconds_1k_store": thousands.compactSeconds, "verify_seconds": bulk.verifySeconds,
    "full_scan_seconds": bulk.scanSeconds, "bytes_per_record_after_compaction": bulk.bytesPerRecord,
    "single_append_median_ms": singles.medianMilliseconds, "single_append_p99_ms": singles.p99Milliseconds,
    "singles_files_per_year": singles.filesPerYear, "bulk_files_per_year": singles.bulkFilesPerYear,
    "singles_scan_ms": singles.scanMilliseconds, "bulk_scan_ms": singles.bulkScanMilliseconds,
  ]
}

private struct AppendResult {
  var batchSize: Int
  var records: Int
  var recordsPerSecond: Double
  var filesCreated: Int
  var filesPerYearAfterClose: Int
  var closeSeconds: Double
  var bytesPerRecord: Double
  var verifySeconds = 0.0
  var scanSeconds = 0.0
  var compactSeconds = 0.0

  var json: [String: Any] {
    [
      "batch_size": batchSize, "records": records, "records_per_second": recordsPerSecond,
      "files_created": filesCreated, "files_per_year_after_close": filesPerYear, "close_seconds": closeSeconds,
      "bytes_per_record": bytesPerRecord,
    ]
  }
  private var filesPerYear: Int { filesPerYearAfterClose }
}

private struct SingleResult {
  var medianMilliseconds: Double
  var p99Milliseconds: Double
  var filesPerYear: Int
  var bulkFilesPerYear: Int
  var scanMilliseconds: Double
  var bulkScanMilliseconds: Double
}

private struct StoreBench {
  let root: String
  let seed: UInt64
  let clock = StoreClock.fixed(Date(timeIntervalSince1970: 1_796_299_200))  // 2026-12-03T12:00:00Z
  var options: StoreOptions {
    var options = StoreOptions()
    options.tidyLimitBytes = Int.max
    return options
  }

  func generator() throws -> CaseGenerator {
    try CaseGenerator(schema: try Schema.retMonitor(), options: GeneratorOptions(seed: seed, today: benchToday))
  }

  func create(_ name: String) throws -> Store {
    try Store.create(at: root + "/" + name, schema: try SchemaFiles.retMonitor(), clock: clock, options: options)
  }

  /// Appends `count` records in batches of `batchSize`, timing only the appends.
  func appendAll(_ count: Int, batchSize: Int, name: String) throws -> AppendResult {
    let store = try create(name)
    var seconds = 0.0
    var files = 0
    try generator().generate(count: count, batchSize: batchSize) { batch in
      var watch = Stopwatch()
      files += try store.append(batch).filesCreated
      seconds += watch.lap()
    }
    var compactSeconds = 0.0
    if batchSize < 100_000 {
      var watch = Stopwatch()
      try store.compact()
      compactSeconds = watch.lap()
    }
    var watch = Stopwatch()
    store.close()
    let closeSeconds = watch.lap()
    let reader = try Store.open(at: root + "/" + name, mode: .reader, clock: clock)
    var result = AppendResult(
      batchSize: batchSize, records: count, recordsPerSecond: Double(count) / seconds, filesCreated: files,
      filesPerYearAfterClose: reader.manifest.years.map { $0.files.count }.max() ?? 0, closeSeconds: closeSeconds,
      bytesPerRecord: Double(reader.info.bytes) / Double(count))
    result.compactSeconds = compactSeconds
    _ = watch.lap()
    _ = reader.verify()
    result.verifySeconds = watch.lap()
    result.scanSeconds = try fullScan(reader)
    return result
  }

  /// 10,000 single-record appends, each durable, then the same records as one append.
  func singleRecordAppends(_ count: Int) throws -> SingleResult {
    let batch = try generator().generate(count: count)
    let store = try create("singles")
    var latencies: [Double] = []
    for row in 0..<count {
      let one = batch.permuted([row])
      var watch = Stopwatch()
      try store.append(one)
      latencies.append(watch.lap() * 1_000)
    }
    store.close()
    let bulk = try create("singles-bulk")
    try bulk.append(batch)
    bulk.close()
    let singles = try Store.open(at: root + "/singles", mode: .reader, clock: clock)
    let once = try Store.open(at: root + "/singles-bulk", mode: .reader, clock: clock)
    latencies.sort()
    return SingleResult(
      medianMilliseconds: latencies[count / 2], p99Milliseconds: latencies[count * 99 / 100],
      filesPerYear: singles.manifest.years.map { $0.files.count }.max() ?? 0,
      bulkFilesPerYear: once.manifest.years.map { $0.files.count }.max() ?? 0,
      scanMilliseconds: try fullScan(singles) * 1_000, bulkScanMilliseconds: try fullScan(once) * 1_000)
  }

  /// Median time to decode every chunk of every live segment, one core.
  func fullScan(_ store: Store) throws -> Double {
    let snapshot = try store.snapshot()
    return try median(21) {
      for (_, readers) in snapshot.segments {
        for reader in readers {
          for g in reader.footer.rowGroups.indices {
            for c in reader.footer.columns.indices { _ = try reader.read(rowGroup: g, column: c) }
          }
        }
      }
    }
  }
}
