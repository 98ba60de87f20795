// KolomBench: throughput, latency and size of the segment format and the store on
// generated ret-monitor records. A benchmark, not a test: it prints tables and writes
// JSON; nothing here asserts a time.
//
//   KolomBench [--suite format|store|ingest|query|scaling|all] [--records N] [--seed S] [--runs R]
//              [--scales N,N,…] [--no-process-timings] [--json FILE] [--write DIR] [--store-dir DIR] [--export-csv FILE]
import Foundation
import KolomStore

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  arguments.firstIndex(of: "--\(name)").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
let records = Int(option("records")?.replacingOccurrences(of: "_", with: "") ?? "") ?? 1_000_000
let seed = UInt64(option("seed") ?? "") ?? 42
let runs = max(1, Int(option("runs") ?? "") ?? 3)
let suite = option("suite") ?? (option("export-csv") == nil ? "all" : "none")

/// A fixed reference date keeps runs comparable across days.
let benchToday = CivilDate(year: 2026, month: 12, day: 3)
let benchNow = Instant.parse("2026-12-03T12:00:00Z")!

print(
  "KolomBench: \(suite == "scaling" ? option("scales") ?? "100000,1000000,10000000" : String(records)) generated records, seed \(seed), \(runs) runs (median), "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
var report: [String: Any] = ["records": records, "seed": seed, "runs": runs]
if suite == "format" || suite == "all" {
  report["format"] = try runFormatBenchmark(records: records, seed: seed, runs: runs, writeDirectory: option("write"))
}
if suite == "store" || suite == "all" {
  report["store"] = try runStoreBenchmark(records: records, seed: seed, directory: option("store-dir"))
}
if suite == "ingest" || suite == "all" {
  report["ingest"] = try runIngestBenchmark(records: records, seed: seed, runs: runs, directory: option("store-dir"))
}
if suite == "query" || suite == "all" {
  report["query"] = try runQueryBenchmark(
    records: records, seed: seed, runs: runs, directory: option("store-dir"),
    processTimings: !arguments.contains("--no-process-timings"))
}
if suite == "scaling" {
  let scales = (option("scales") ?? "100000,1000000,10000000").split(separator: ",").compactMap { Int($0) }
  report["scaling"] = try runScalingBenchmark(scales: scales, seed: seed, runs: runs, directory: option("store-dir"))
}
if let csv = option("export-csv") {
  try exportCSV(records: records, seed: seed, to: csv)
  print("\nwrote the \(records) records to \(csv)")
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
report["peak_rss_bytes"] = usage.ru_maxrss * 1024
if let jsonPath = option("json") {
  let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
  try data.write(to: URL(fileURLWithPath: jsonPath))
  print("\nwrote \(jsonPath)")
}
