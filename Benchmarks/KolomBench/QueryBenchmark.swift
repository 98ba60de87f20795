// The query benchmark: the analyses of the monitor's dashboards and a subject-access
// request, through the `Kolom` facade alone, on a store of generated records. Cold is
// the first run on a freshly opened database (footers read, nothing decoded yet; the
// page cache is the operating system's); warm is the median of repeated runs. Last,
// a whole `kolom query` process (open + first query) on a 300k-record store.
import Foundation
import Kolom
import KolomGenerator

/// One query of the suite, with the issue's target for its warm median.
private struct BenchQuery {
  var name: String
  var sql: String
  var targetMilliseconds: Double
}

private let suiteQueries: [BenchQuery] = [
  BenchQuery(name: "count by region", sql: "SELECT regio, count(*) FROM cases GROUP BY regio", targetMilliseconds: 15),
  BenchQuery(
    name: "count by year and phase", sql: "SELECT year(datum) AS jaar, fase, count(*) FROM cases GROUP BY ALL",
    targetMilliseconds: 150),
  BenchQuery(
    name: "distinct cases per youth flag by region",
    sql: "SELECT regio, EACH(problematiek_jeugdige) AS probleem, count(DISTINCT clientnummer) FROM cases GROUP BY ALL",
    targetMilliseconds: 300),
  BenchQuery(
    name: "filtered group-by on hoofdknelpunt",
    sql: """
      SELECT hoofdknelpunt, count(*) FROM cases
      WHERE fase = 'ondersteuning' AND urgentie IN ('hoog', 'crisis') AND geboortejaar >= 2008
      GROUP BY hoofdknelpunt ORDER BY 2 DESC
      """, targetMilliseconds: 150),
  BenchQuery(
    name: "median and p90 duration by region",
    sql: """
      SELECT regio, median(days_between(datum_aanmelding, datum_afsluiting)) AS mediaan,
             quantile_cont(days_between(datum_aanmelding, datum_afsluiting), 0.9) AS p90
      FROM cases WHERE fase = 'afsluiting' GROUP BY regio
      """, targetMilliseconds: 150),
  BenchQuery(
    name: "distinct cases by year",
    sql: "SELECT year(datum) AS jaar, count(DISTINCT clientnummer) FROM cases GROUP BY 1",
    targetMilliseconds: 150),
  BenchQuery(
    name: "top-10 municipalities for a flag combination",
    sql: """
      SELECT gemeente, count(DISTINCT clientnummer) AS clienten FROM cases
      WHERE problematiek_jeugdige HAS ALL ('lvb', 'gedrag_agressie') AND problematiek_ouders HAS 'verslaving'
      GROUP BY gemeente ORDER BY clienten DESC, gemeente LIMIT 10
      """, targetMilliseconds: 150),
  BenchQuery(
    name: "all records of one client", sql: "SELECT * FROM cases WHERE clientnummer = :client ORDER BY datum",
    targetMilliseconds: 5),
]

/// Runs the query suite on a store of `records` at `directory` (generated there when it
/// is not yet a store of that size); returns its JSON report.
func runQueryBenchmark(
  records: Int, seed: UInt64, runs: Int, directory: String?, processTimings: Bool = true
) throws -> [String: Any] {
  let root = directory ?? NSTemporaryDirectory() + "kolom-bench-\(getpid())"
  let path = root + "/query-\(records)"
  defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
  var watch = Stopwatch()
  try ensureStore(at: path, records: records, seed: seed)
  print("\n== query: \(records) records in \(path) (ready in \(String(format: "%.1f", watch.lap())) s)")

  // A client with several records, for the subject-access query.
  let probe = try Database(path: path)
  let client =
    try probe.query(
      "SELECT clientnummer, count(*) AS n FROM cases WHERE regio = 'JZ13' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"
    ).rows[0][0]
  probe.close()
  let parameters = ["client": client]

  let warmRuns = max(runs, 15)
  print(cells(["cold ms", "warm ms", "target ms", "rows", "", "query"]))
  var results: [[String: Any]] = []
  for query in suiteQueries {
    var cold: [Double] = []
    var rows = 0
    for _ in 0..<3 {
      let database = try Database(path: path)
      var watch = Stopwatch()
      rows = try database.query(query.sql, parameters: parameters).rows.count
      cold.append(watch.lap() * 1_000)
      database.close()
    }
    let database = try Database(path: path)
    _ = try database.query(query.sql, parameters: parameters)
    let warm = try median(warmRuns) { _ = try database.query(query.sql, parameters: parameters) } * 1_000
    database.close()
    let coldMedian = cold.sorted()[1]
    let verdict = warm < query.targetMilliseconds ? "ok" : "MISSED"
    print(
      cells([
        String(format: "%.2f", coldMedian), String(format: "%.2f", warm),
        String(format: "%.0f", query.targetMilliseconds),
        String(rows), verdict, query.name,
      ]))
    results.append([
      "name": query.name, "sql": query.sql, "cold_ms": coldMedian, "warm_ms": warm,
      "target_ms": query.targetMilliseconds,
      "rows": rows,
    ])
  }
  var report: [String: Any] = ["store": path, "queries": results, "client": client.description]
  if processTimings, let processes = try wholeProcesses(root: root, seed: seed, runs: warmRuns) {
    print(row("kolom query process, 300k records (ms)", String(format: "%.1f (target 50)", processes.query)))
    print(row("kolom repl, open to prompt, 300k (ms)", String(format: "%.1f (target 50)", processes.replOpen)))
    print(
      row(
        "kolom repl, first result after it (ms)",
        String(format: "%.1f (target 50)", processes.replQuery - processes.replOpen)))
    report["process_first_query_300k_ms"] = processes.query
    report["repl_open_300k_ms"] = processes.replOpen
    report["repl_first_result_300k_ms"] = processes.replQuery - processes.replOpen
  }
  return report
}

/// Generates `records` records into a store at `path`, unless it already holds them.
func ensureStore(at path: String, records: Int, seed: UInt64) throws {
  if let existing = try? Database(path: path) {
    defer { existing.close() }
    if existing.store.info.records == records { return }
  }
  try? FileManager.default.removeItem(atPath: path)
  try FileManager.default.createDirectory(
    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  let store = try Store.create(at: path, schema: try SchemaFiles.retMonitor())
  let generator = try CaseGenerator(
    schema: try Schema.retMonitor(), options: GeneratorOptions(seed: seed, today: benchToday))
  try generator.generate(count: records, batchSize: 100_000) { try store.append($0) }
  store.close()
}

/// Median wall times (ms) of whole processes on a 300k-record store, when the kolom
/// executable sits next to this benchmark: `kolom query` answering a count by region;
/// `kolom repl` opening the store and reaching its input (empty stdin: everything the
/// prompt waits for but the terminal); `kolom repl` answering the same query read from stdin.
private func wholeProcesses(root: String, seed: UInt64, runs: Int) throws -> (
  query: Double, replOpen: Double, replQuery: Double
)? {
  let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("kolom").path
  guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
  let path = root + "/query-300000"
  try ensureStore(at: path, records: 300_000, seed: seed)
  let sql = "SELECT regio, count(*) FROM cases WHERE geslacht = 'vrouwelijk' GROUP BY regio"
  let script = root + "/first-query.sql"
  try (sql + ";\n").write(toFile: script, atomically: true, encoding: .utf8)
  return (
    try median(runs) { try runProcess([executable, "query", path, "-c", sql]) } * 1_000,
    try median(runs) { try runProcess([executable, "repl", path]) } * 1_000,
    try median(runs) { try runProcess([executable, "repl", path], input: script) } * 1_000
  )
}

/// Runs `arguments` as a process with input from `input` (or /dev/null) and output to
/// /dev/null, and waits for it.
func runProcess(_ arguments: [String], input: String = "/dev/null") throws {
  var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  var argv = arguments.map { strdup($0) } + [nil]
  defer { for p in argv { free(p) } }
  var pid: pid_t = 0
  guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
    throw CocoaError(.executableLoad)
  }
  var status: Int32 = 0
  waitpid(pid, &status, 0)
  guard status == 0 else { throw CocoaError(.executableRuntimeMismatch) }
}
