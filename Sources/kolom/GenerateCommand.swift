// kolom generate: writes a segment of generated ret-monitor records.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

enum GenerateCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["records", "seed", "today", "row-group-size"])
    guard args.positional.count == 1 else { throw UsageError("generate needs one FILE") }
    let path = args.positional[0]
    let records = try args.integer("records", default: 100_000)
    let seed = UInt64(try args.integer("seed", default: 1))
    let rowGroupSize = try args.integer("row-group-size", default: Layout.defaultRowGroupSize)
    guard rowGroupSize >= 1 && rowGroupSize <= Layout.maxRowsPerGroup else {
      throw UsageError("--row-group-size must be 1 ... \(Layout.maxRowsPerGroup)")
    }
    let today = try args.value("today").map(parseDate) ?? amsterdamToday()
    let schema = try Schema.retMonitor()
    let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: today))
    let started = Date()
    let batch = generator.generate(count: records)
    let bytes = batch.encodedSegment(options: WriterOptions(rowGroupSize: rowGroupSize))
    try writeAtomically(bytes, to: path)
    let seconds = Date().timeIntervalSince(started)
    print(
      "wrote \(path): \(records) records, \(bytes.count) bytes (\(String(format: "%.1f", Double(bytes.count) / Double(max(records, 1)))) bytes/record), seed \(seed), today \(today), \(String(format: "%.2f", seconds)) s"
    )
  }

  static func parseDate(_ text: String) throws -> CivilDate {
    guard let date = CivilDate(iso: text) else { throw UsageError("'\(text)' is not a date (YYYY-MM-DD)") }
    return date
  }

  /// Today's date in Europe/Amsterdam, where the monitor's calendar lives.
  static func amsterdamToday() -> CivilDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)
  }

  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
      throw CLIError("cannot write \(temporary)")
    }
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      throw CLIError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
    }
  }
}
