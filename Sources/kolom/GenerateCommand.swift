// kolom generate: appends generated (synthetic) ret-monitor records to a store, in
// batches, each one durable when its line is reported.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

enum GenerateCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(
      words, valued: ["records", "seed", "batch-size", "now", "format", "output"], switches: ["report-batches"])
    if let format = args.value("format") { return try writeDelivery(args, format: format) }
    let path = try args.store()
    let records = try args.integer("records", default: 100_000)
    let seed = UInt64(try args.integer("seed", default: 1))
    let batchSize = max(1, try args.integer("batch-size", default: 100_000))
    let clock = try args.clock()
    let store = try Store.open(at: path, mode: .writer, clock: clock)
    defer { store.close() }
    let today = Retention.today(at: clock.now())
    let generator = try CaseGenerator(
      schema: store.schema,
      options: GeneratorOptions(seed: seed, today: today, retentionYears: store.manifest.retentionYears))
    let progress = Progress(label: "generating", total: records)
    let started = Date()
    var stored = 0
    var batches = 0
    try generator.generate(count: records, batchSize: batchSize) { batch in
      try store.append(batch)
      stored += batch.count
      batches += 1
      if args.has("report-batches") {
        print("committed batch \(batches) (\(stored) records)")
        fflush(nil)
      }
      progress.update(records: stored, bytes: store.info.bytes)
    }
    progress.finish()
    let seconds = Date().timeIntervalSince(started)
    print(
      "appended \(stored) generated records (seed \(seed), dated up to \(today)) in \(batches) batches, \(String(format: "%.2f", seconds)) s"
    )
    StoreCommands.reportMaintenance(store)
  }
}

extension GenerateCommand {
  /// `kolom generate --format csv|ndjson [--output FILE]`: a delivery file of generated
  /// records with synthetic clear client numbers, in the form `kolom ingest` reads; to
  /// standard output without `--output` or with `--output -`.
  static func writeDelivery(_ args: Arguments, format name: String) throws {
    guard let format = DeliveryFormat(rawValue: name) else {
      throw UsageError("--format must be csv or ndjson, not '\(name)'")
    }
    guard args.positional.isEmpty else { throw UsageError("generate --format writes a file, and takes no store") }
    let records = try args.integer("records", default: 1_000)
    let seed = UInt64(try args.integer("seed", default: 1))
    let clock = try args.clock()
    let today = Retention.today(at: clock.now())
    let schema = try Schema.retMonitor()
    let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: today))
    let writer = RecordWriter(schema: schema, format: format)
    let output: FileHandle
    let path = args.value("output").flatMap { $0 == "-" ? nil : $0 }
    if let path {
      guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
        throw CLIError("cannot create \(path)")
      }
      output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    } else {
      output = FileHandle.standardOutput
    }
    output.write(Data(writer.header.utf8))
    generator.generate(count: records, batchSize: 50_000) { batch in
      var text = ""
      for row in 0..<batch.count {
        let record = batch.record(at: row)
        text += writer.line(record, clientNumber: generator.clientNumber(of: record))
      }
      output.write(Data(text.utf8))
    }
    if path != nil { try output.close() }
  }
}
