// kolom init, info, compact, expire, retention: the store's life cycle.
import Foundation
import KolomStore

enum StoreCommands {
  static func initialize(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["retention", "now"])
    let path = try args.store()
    let store = try Store.create(
      at: path, schema: SchemaFiles.retMonitor(), retentionYears: try args.integer("retention", default: 10),
      clock: try args.clock())
    defer { store.close() }
    print(
      "created \(path): schema \(store.schema.name) version \(store.schema.version), retention \(store.manifest.retentionYears) years"
    )
  }

  static func info(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["now"])
    let store = try Store.open(at: try args.store(), mode: .reader, clock: try args.clock())
    let info = store.info
    let now = store.clock.now()
    print("store \(store.path)")
    print("  schema          \(store.schema.name) version \(store.schema.version)")
    print("  records         \(info.records) in \(info.files) files, \(info.bytes) bytes")
    print(
      "  retention       \(info.retentionYears) years: year Y is removed on 1 January Y+\(info.retentionYears), 00:00 Europe/Amsterdam"
    )
    if let oldest = info.oldestYear, let expires = info.oldestExpires {
      print("  oldest year     \(oldest), expires \(Instant.local(expires))")
    }
    print("  last sweep      \(info.lastSweep ?? "never (clock overridden)")")
    print("  commit          \(info.sequence)")
    let manifest = store.manifest
    print(
      "  pseudonym key   "
        + (manifest.pseudonymKey.map { "version \($0.version), fingerprint \($0.fingerprint)" }
          ?? "none yet (no ingest)"))
    print(
      "  subject rights  \(manifest.restricted?.count ?? 0) restricted clients, "
        + "\(manifest.pendingErasure?.count ?? 0) erasures under way")
    print("  change log      \(manifest.changeLog?.entries ?? 0) entries (kolom log verify checks them)")
    print("")
    print("  year  files  records     bytes  bytes/record  expires")
    for year in info.years {
      let expired = store.retention.isExpired(year: year.year, at: now) ? "  (expired; removed at the next sweep)" : ""
      print(
        "  \(year.year)  \(pad(year.files.count, 5))  \(pad(year.rows, 7))  \(pad(year.bytes, 8))  "
          + "\(pad(String(format: "%.2f", Double(year.bytes) / Double(max(year.rows, 1))), 12))  "
          + Instant.local(store.retention.expiry(ofYear: year.year)) + expired)
    }
  }

  static func compact(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["year", "now"])
    let store = try Store.open(at: try args.store(), mode: .writer, clock: try args.clock())
    defer { store.close() }
    let year = try args.value("year").map { _ in try args.integer("year", default: 0) }
    let progress = Progress(label: "compacting")
    let years = try store.compact(year: year)
    progress.finish()
    print(years.isEmpty ? "nothing to compact" : "compacted \(years.map(String.init).joined(separator: ", "))")
    reportMaintenance(store)
  }

  static func expire(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["now"])
    let store = try Store.open(at: try args.store(), mode: .writer, clock: try args.clock())
    defer { store.close() }
    let years = try store.sweep()
    print(years.isEmpty ? "no year is past retention" : "expired \(years.map(String.init).joined(separator: ", "))")
  }

  static func retention(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["now"])
    guard args.positional.count == 2, let years = Int(args.positional[1]) else {
      throw UsageError("retention needs STORE and a number of YEARS")
    }
    let store = try Store.open(at: args.positional[0], mode: .writer, clock: try args.clock())
    defer { store.close() }
    let before = store.manifest.years.map(\.year)
    try store.setRetention(years: years)
    let gone = before.filter { year in !store.manifest.years.contains { $0.year == year } }
    print(
      "retention is now \(years) years"
        + (gone.isEmpty ? "" : "; expired \(gone.map(String.init).joined(separator: ", "))"))
  }

  static func reportMaintenance(_ store: Store) {
    if let error = store.maintenanceError {
      FileHandle.standardError.write(Data("kolom: warning: \(error)\n".utf8))
    }
  }

  static func pad(_ value: Any, _ width: Int) -> String {
    let text = "\(value)"
    return String(repeating: " ", count: max(0, width - text.count)) + text
  }
}

extension Arguments {
  /// The STORE positional argument.
  func store() throws -> String {
    guard positional.count == 1 else { throw UsageError("expected one STORE directory") }
    return positional[0]
  }

  /// The wall clock, or the fixed instant of `--now`.
  func clock() throws -> StoreClock {
    guard let text = value("now") else { return .system }
    guard let date = Instant.parse(text) else {
      throw UsageError("--now '\(text)' is not an ISO 8601 instant such as 2026-12-31T23:00:00Z")
    }
    return .fixed(date)
  }
}
