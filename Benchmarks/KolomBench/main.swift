// KolomBench: encode and decode throughput and bytes per record of the segment
// format on generated ret-monitor records. A benchmark, not a test: it prints a
// table and writes JSON; nothing here asserts a time.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  arguments.firstIndex(of: "--\(name)").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
let records = Int(option("records")?.replacingOccurrences(of: "_", with: "") ?? "") ?? 1_000_000
let seed = UInt64(option("seed") ?? "") ?? 42
let runs = max(1, Int(option("runs") ?? "") ?? 3)
let jsonPath = option("json")
let writeDirectory = option("write")

// A fixed reference date keeps runs comparable across days.
let today = CivilDate(year: 2026, month: 12, day: 3)
let schema = try Schema.retMonitor()
let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: today))

print(
  "KolomBench: \(records) generated records, seed \(seed), \(runs) runs (median), \(ProcessInfo.processInfo.activeProcessorCount) cores"
)
var clock = Stopwatch()
let batch = generator.generate(count: records)
let generateSeconds = clock.lap()
let years = batch.splitByYear().map { ($0.year, $0.records.permuted($0.records.segmentOrder())) }
let sortSeconds = clock.lap()
print(
  String(
    format: "generated in %.2f s; split into %d year partitions and sorted in %.2f s", generateSeconds, years.count,
    sortSeconds))

// Encode: every year partition into its segment, as the store writes them.
var files: [[UInt8]] = []
let encodeSeconds = median(runs) {
  files = years.map { _, part in
    var writer = SegmentWriter(columns: schema.physical.columns)
    writer.append(part.columns)
    return writer.finish()
  }
}
let totalBytes = files.reduce(0) { $0 + $1.count }
if let writeDirectory {
  try FileManager.default.createDirectory(atPath: writeDirectory, withIntermediateDirectories: true)
  for ((year, _), bytes) in zip(years, files) {
    try Data(bytes).write(to: URL(fileURLWithPath: "\(writeDirectory)/\(year).kol"))
  }
  print("wrote \(files.count) year segments to \(writeDirectory)")
}
let readers = try files.map { try SegmentReader(InMemorySegment($0)) }

// Decode: every chunk of every file, one core, grouped by column kind.
struct KindResult {
  var rows = 0
  var decodedBytes = 0
  var storedBytes = 0
  var seconds = 0.0
}
var byKind: [ColumnKind: KindResult] = [:]
for kind in ColumnKind.allCases {
  let columns = schema.physical.columns.indices.filter { schema.physical.columns[$0].kind == kind }
  guard !columns.isEmpty else { continue }
  var result = KindResult()
  for reader in readers {
    for c in columns {
      for g in reader.footer.rowGroups.indices {
        result.rows += reader.footer.rowGroups[g].rowCount
        result.storedBytes += reader.footer.chunk(rowGroup: g, column: c).storedLength
        result.decodedBytes += decodedSize(reader.footer.columns[c], rows: reader.footer.rowGroups[g].rowCount)
      }
    }
  }
  result.seconds = try median(runs) {
    for reader in readers {
      for c in columns { for g in reader.footer.rowGroups.indices { _ = try reader.read(rowGroup: g, column: c) } }
    }
  }
  byKind[kind] = result
}

/// Bytes of decoded values as the reader hands them out: Int64 per integer, the
/// id's bytes, one bit per bool (bitmaps stay packed).
func decodedSize(_ column: ColumnDescriptor, rows: Int) -> Int {
  switch column.kind {
  case .bytes: rows * column.byteWidth
  case .bool: (rows + 7) / 8
  case .int, .code, .date: rows * 8
  }
}

let decodeSeconds = byKind.values.reduce(0) { $0 + $1.seconds }
let decodedTotal = byKind.values.reduce(0) { $0 + $1.decodedBytes }
let bytesPerRecord = Double(totalBytes) / Double(records)
print("")
print("segment format, \(records) records in \(files.count) year files")
print(row("", "value"))
print(row("bytes per record (all files)", String(format: "%.2f", bytesPerRecord)))
print(row("encode records/s (2 cores)", String(format: "%.0f", Double(records) / encodeSeconds)))
print(row("encode seconds", String(format: "%.3f", encodeSeconds)))
print(row("decode rows/s (all columns, 1 core)", String(format: "%.0f", Double(records) / decodeSeconds)))
print(row("decode GB/s decoded values (1 core)", String(format: "%.2f", Double(decodedTotal) / decodeSeconds / 1e9)))
print("")
print("decode by column kind (1 core)")
print(cells(["kind", "columns", "stored B/rec", "values/s", "decoded GB/s", "seconds"]))
var kindJSON: [[String: Any]] = []
for kind in ColumnKind.allCases {
  guard let r = byKind[kind] else { continue }
  let columns = schema.physical.columns.filter { $0.kind == kind }.count
  print(
    cells([
      kind.description, String(columns), String(format: "%.3f", Double(r.storedBytes) / Double(records)),
      String(format: "%.0f", Double(r.rows) / r.seconds),
      String(format: "%.2f", Double(r.decodedBytes) / r.seconds / 1e9),
      String(format: "%.3f", r.seconds),
    ]))
  kindJSON.append([
    "kind": kind.description, "columns": columns, "stored_bytes_per_record": Double(r.storedBytes) / Double(records),
    "values_per_second": Double(r.rows) / r.seconds, "decoded_gb_per_second": Double(r.decodedBytes) / r.seconds / 1e9,
  ])
}

if let jsonPath {
  let report: [String: Any] = [
    "benchmark": "format", "records": records, "seed": seed, "runs": runs, "files": files.count,
    "bytes_per_record": bytesPerRecord, "encode_records_per_second": Double(records) / encodeSeconds,
    "decode_rows_per_second": Double(records) / decodeSeconds,
    "decode_gb_per_second": Double(decodedTotal) / decodeSeconds / 1e9, "by_kind": kindJSON,
  ]
  let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
  try data.write(to: URL(fileURLWithPath: jsonPath))
  print("\nwrote \(jsonPath)")
}

func cells(_ values: [String]) -> String {
  "  " + values.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()
}

func row(_ name: String, _ value: String) -> String {
  "  " + name.padding(toLength: 40, withPad: " ", startingAt: 0) + value
}

/// Median wall time of `runs` runs of `body`.
func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<runs {
    var watch = Stopwatch()
    try body()
    times.append(watch.lap())
  }
  return times.sorted()[times.count / 2]
}

struct Stopwatch {
  var start = DispatchTime.now().uptimeNanoseconds
  mutating func lap() -> Double {
    let now = DispatchTime.now().uptimeNanoseconds
    defer { start = now }
    return Double(now - start) / 1e9
  }
}
