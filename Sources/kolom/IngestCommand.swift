// kolom ingest and kolom keygen: delivery files into the store, pseudonymised at the
// door under a key kept outside it. Problems go to stderr as FILE:LINE:COLUMN field:
// message, never with a client number.
import Foundation
import KolomStore

enum IngestCommand {
  static func keygen(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["version"])
    guard let path = args.positional.first, args.positional.count == 1 else {
      throw UsageError("keygen needs one KEYFILE")
    }
    let key = try PseudonymKey.generate(to: path, version: max(1, try args.integer("version", default: 1)))
    print("wrote key version \(key.version) (fingerprint \(key.fingerprint)) to \(path), mode 0600")
    print("keep it outside the store and back it up apart from the data")
  }

  static func run(_ words: [String]) throws {
    let args = try Arguments(
      words, valued: ["key", "format", "reject", "request", "actor", "now", "max-problems"])
    guard args.positional.count >= 2 else { throw UsageError("ingest needs STORE and at least one FILE (- for stdin)") }
    let path = args.positional[0]
    guard let keyPath = args.value("key") else { throw UsageError("ingest needs --key KEYFILE") }
    let key = try PseudonymKey.load(from: keyPath, store: path)
    let maxProblems = try args.integer("max-problems", default: 100)
    // Every delivery is opened, and the reject file created, before anything is stored:
    // a file that cannot be read, or a path that cannot take the rejects, stores nothing.
    // Each file's bad records are in the reject file, durably, before its good ones commit.
    let deliveries = try args.positional.dropFirst().map { file in
      (
        name: file == "-" ? "<stdin>" : file, format: try deliveryFormat(of: file, given: args.value("format")),
        file: try file == "-" ? DeliveryFile(reading: 0, name: "<stdin>") : DeliveryFile(path: file)
      )
    }
    let rejectFile = try args.value("reject").map { try PrivateFile(creating: $0, store: path) }
    defer { rejectFile?.finish() }
    let store = try Store.open(at: path, mode: .writer, clock: try args.clock())
    defer { store.close() }
    if let actor = args.value("actor") { store.actor = actor }
    let ingest = try Ingest(store: store, key: key)
    var failed = false
    var storedPerYear: [Int: Int] = [:]
    var rejectedCount = 0
    let started = Date()
    var total = 0
    for (name, format, delivery) in deliveries {
      let progress = Progress(label: "checking \(name)", totalBytes: delivery.count)
      let result = try delivery.withBytes { bytes in
        try ingest.read(bytes, file: name, format: format) { records, read in
          progress.update(records: records, bytes: read)
        }
      }
      progress.finish()
      total += result.recordCount
      for problem in result.problems.prefix(maxProblems) {
        FileHandle.standardError.write(Data("\(problem)\n".utf8))
      }
      if result.problemCount > maxProblems {
        FileHandle.standardError.write(Data("\(name): … and \(result.problemCount - maxProblems) more problems\n".utf8))
      }
      if result.problemCount > 0 && rejectFile == nil {
        failed = true
        FileHandle.standardError.write(
          Data(
            ("\(name): \(count(result.problemCount, "problem")) in \(result.rejected.count) of \(result.recordCount) records; "
              + "nothing from this file was stored (all or nothing: --reject FILE stores the valid records)\n").utf8))
        continue
      }
      if let rejectFile, !result.rejected.isEmpty {
        try rejectFile.append(rejects(result, file: name, format: format, first: rejectFile.isEmpty))
        rejectedCount += result.rejected.count
      }
      let appended = try ingest.store(result, request: args.value("request"))
      for (year, count) in appended.recordsPerYear { storedPerYear[year, default: 0] += count }
    }
    let seconds = Date().timeIntervalSince(started)
    let stored = storedPerYear.values.reduce(0, +)
    print(
      "stored \(stored) of \(total) records in \(String(format: "%.2f", seconds)) s"
        + (stored > 0 ? " (\(Int(Double(stored) / max(seconds, 1e-6))) records/s)" : ""))
    for year in storedPerYear.keys.sorted() { print("  \(year)  \(storedPerYear[year]!)") }
    if rejectedCount > 0 {
      let their = rejectedCount == 1 ? "its" : "their"
      print("rejected \(count(rejectedCount, "record")), with \(their) problems, to \(rejectFile!.path)")
    }
    StoreCommands.reportMaintenance(store)
    if failed { throw CLIError("", silent: true) }
  }

  /// "1 problem", "2 problems".
  static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

  static func deliveryFormat(of file: String, given: String?) throws -> DeliveryFormat {
    if let given {
      guard let format = DeliveryFormat(rawValue: given) else {
        throw UsageError("--format must be csv or ndjson, not '\(given)'")
      }
      return format
    }
    if file.hasSuffix(".ndjson") || file.hasSuffix(".jsonl") { return .ndjson }
    return .csv
  }

  /// The bad records of `result` for the reject file: CSV rows with the file, line and
  /// problems before the delivered fields; NDJSON objects with the delivered record inside.
  static func rejects(_ result: IngestResult, file: String, format: DeliveryFormat, first: Bool) -> String {
    var out = ""
    switch format {
    case .csv:
      if first { out += "kolom_file,kolom_line,kolom_problems," + (result.header ?? "") + "\n" }
      for bad in result.rejected {
        let why = bad.problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        out += [file, String(bad.line), why].map(RecordWriter.csvField).joined(separator: ",") + "," + bad.text + "\n"
      }
    case .ndjson:
      for bad in result.rejected {
        let why = bad.problems.map { RecordWriter.json("\($0.field): \($0.message)") }.joined(separator: ",")
        out +=
          "{\"kolom_file\":\(RecordWriter.json(file)),\"kolom_line\":\(bad.line),\"kolom_problems\":[\(why)],"
          + "\"record\":\(RecordWriter.json(bad.text))}\n"
      }
    }
    return out
  }
}
