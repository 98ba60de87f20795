// kolom generate: appends generated (synthetic) ret-monitor records to a store, in
// batches, each one durable when its line is reported.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

enum GenerateCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(
      words, valued: ["records", "seed", "batch-size", "now"], switches: ["report-batches"])
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
