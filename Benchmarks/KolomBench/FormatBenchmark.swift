// The format benchmark: encode and decode throughput and bytes per record of year
// segments, as the store writes them.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

/// Runs the format benchmark on `records` generated records; returns its JSON report.
func runFormatBenchmark(records: Int, seed: UInt64, runs: Int, writeDirectory: String?) throws -> [String: Any] {
  let schema = try Schema.retMonitor()
  let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: benchToday))
  print("== format: \(records) records")
  var clock = Stopwatch()
  let batch = generator.generate(count: records)
  let generateSeconds = clock.lap()
  let years = batch.splitByYear().map { ($0.year, $0.records.inSegmentOrder()) }
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
      "values_per_second": Double(r.rows) / r.seconds,
      "decoded_gb_per_second": Double(r.decodedBytes) / r.seconds / 1e9,
    ])
  }
  return [
    "records": records, "files": files.count, "bytes_per_record": bytesPerRecord,
    "encode_records_per_second": Double(records) / encodeSeconds,
    "decode_rows_per_second": Double(records) / decodeSeconds,
    "decode_gb_per_second": Double(decodedTotal) / decodeSeconds / 1e9, "by_kind": kindJSON,
  ]
}

private struct KindResult {
  var rows = 0
  var decodedBytes = 0
  var storedBytes = 0
  var seconds = 0.0
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
