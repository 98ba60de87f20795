// The scaling benchmark: the query suite at several store sizes (100k, 1M and 10M
// records by default), each size in a process of its own so that its peak RSS is that
// size's alone, and how latency and memory grow with the records: the exponent k of
// time ∝ records^k between the smallest and the largest size (1 is linear, less is better).
import Foundation

func runScalingBenchmark(scales: [Int], seed: UInt64, runs: Int, directory: String?) throws -> [String: Any] {
  let root = directory ?? NSTemporaryDirectory() + "kolom-bench-\(getpid())"
  defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
  let executable = CommandLine.arguments[0]
  var reports: [[String: Any]] = []
  for records in scales {
    // Generated here, so that the measuring process only opens and queries.
    try ensureStore(at: root + "/query-\(records)", records: records, seed: seed)
    let json = root + "/scaling-\(records).json"
    try runProcess([
      executable, "--suite", "query", "--records", String(records), "--seed", String(seed), "--runs", String(runs),
      "--store-dir", root, "--json", json, "--no-process-timings",
    ])
    let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
    guard let report = report as? [String: Any] else { throw CocoaError(.fileReadCorruptFile) }
    reports.append(report)
  }

  func warm(_ report: [String: Any]) -> [(String, Double)] {
    ((report["query"] as? [String: Any])?["queries"] as? [[String: Any]] ?? []).map {
      ($0["name"] as? String ?? "", $0["warm_ms"] as? Double ?? 0)
    }
  }
  func exponent(_ small: Double, _ large: Double) -> Double {
    log(large / small) / log(Double(scales.last!) / Double(scales.first!))
  }
  let labels = scales.map { $0 >= 1_000_000 ? "\($0 / 1_000_000)M" : "\($0 / 1_000)k" }
  print("\n== scaling: warm medians (ms) and peak RSS at \(labels.joined(separator: ", ")) records")
  print(cells(labels + ["exponent"]) + "query")
  var growth: [[String: Any]] = []
  for (index, (name, _)) in warm(reports[0]).enumerated() {
    let times = reports.map { warm($0)[index].1 }
    let k = exponent(times.first!, times.last!)
    print(cells(times.map { String(format: "%.2f", $0) } + [String(format: "%.2f", k)]) + name)
    growth.append(["name": name, "warm_ms": times, "exponent": k])
  }
  let rss = reports.map { Double($0["peak_rss_bytes"] as? Int ?? 0) }
  let k = exponent(rss.first!, rss.last!)
  print(cells(rss.map { String(format: "%.0f MB", $0 / 1_048_576) } + [String(format: "%.2f", k)]) + "peak RSS")
  let slowest = growth.max { ($0["exponent"] as! Double) < ($1["exponent"] as! Double) }!
  print(
    "\n  for \(scales.last! / scales.first!)× the records, latency grows at most records^"
      + String(format: "%.2f", slowest["exponent"] as! Double) + " (\(slowest["name"]!)) and peak RSS as records^"
      + String(format: "%.2f", k) + (k < 1 ? ": less than linear" : ": linear or worse"))
  return ["scales": scales, "queries": growth, "peak_rss_bytes": rss, "rss_exponent": k]
}
