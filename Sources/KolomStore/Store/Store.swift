// Store: a dataset on disk (DESIGN.md, "Dataset on disk"): opening it as the one
// writer or as a reader, loading the live manifest through CURRENT, and committing a
// new one. Appends, sweeps, compaction and verification are in Store+*.swift.
import Foundation
import KolomFormat

/// Where the store's sense of "now" comes from.
public struct StoreClock: Sendable {
  /// The current instant.
  public var now: @Sendable () -> Date
  /// True for `--now`: sweeps use the time but never record it as the store's clock.
  public var isOverridden: Bool

  /// The wall clock.
  public static let system = StoreClock(now: { Date() }, isOverridden: false)

  /// A fixed instant that is not recorded (tests, demos, `--now`).
  public static func fixed(_ date: Date) -> StoreClock { StoreClock(now: { date }, isOverridden: true) }

  public init(now: @escaping @Sendable () -> Date, isOverridden: Bool) {
    self.now = now
    self.isOverridden = isOverridden
  }
}

/// Tunables of a store; none changes what it holds.
public struct StoreOptions: Sendable {
  /// A year with more segment files than this after a commit is compacted.
  public var maxSegmentsPerYear = 8
  /// A sweep refuses a clock further than this ahead of the last recorded sweep.
  public var maxClockJump: TimeInterval = 400 * 86_400
  /// How segments are written.
  public var writer = WriterOptions()
  /// LZ4HC level of compacted segments (they are written once and read often).
  public var compactionLevel = 9
  /// Automatic compaction copies row groups at least this large as they are and
  /// re-encodes smaller ones. 8,192 rows (ClickHouse's granule) keeps a scan's
  /// per-chunk overhead small, and a bulk load's row groups are copied, not re-encoded.
  public var copyableRowGroupRows = 8_192
  /// Years up to this size are merged into one segment when the writer closes.
  public var tidyLimitBytes = 256 << 20

  public init() {}
}

/// An open store: the single writer, or a reader that never blocks the writer.
public final class Store: @unchecked Sendable {
  public enum Mode: Sendable {
    case reader
    case writer
  }
  /// The store's directory.
  public let path: String
  public let mode: Mode
  /// The schema the store was created with.
  public let schema: Schema
  public let clock: StoreClock
  public var options: StoreOptions
  /// The live manifest (the writer's last commit, or what a reader loaded).
  public internal(set) var manifest: Manifest
  /// The last failure of post-commit maintenance (sweep, automatic compaction), if
  /// any; the data was committed, and the next sweep retries.
  public internal(set) var maintenanceError: Error?
  let fileSystem: any FileSystem
  let layout: StoreLayout
  var writerLock: (any WriterLock)?
  /// Who changes the store, for the change log (the operating-system user by default).
  public var actor = ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
  /// Segments kept open between snapshots (closed when a commit or a sweep drops them).
  let openSegments = OpenSegments()

  init(
    path: String, mode: Mode, manifest: Manifest, fileSystem: any FileSystem, clock: StoreClock,
    options: StoreOptions, lock: (any WriterLock)?
  ) throws {
    self.path = path
    self.mode = mode
    self.manifest = manifest
    self.fileSystem = fileSystem
    self.clock = clock
    self.options = options
    layout = StoreLayout(root: path)
    writerLock = lock
    schema = try Schema.load(manifest.schema)
  }

  /// Creates an empty store at `path` with `schema`, and opens it as the writer.
  public static func create(
    at path: String, schema: SchemaFiles, retentionYears: Int = 10, fileSystem: any FileSystem = RealFileSystem(),
    clock: StoreClock = .system, options: StoreOptions = StoreOptions()
  ) throws -> Store {
    guard (1...100).contains(retentionYears) else {
      throw StoreError.invalidSetting("retention must be 1 ... 100 years, not \(retentionYears)")
    }
    _ = try Schema.load(schema)
    let layout = StoreLayout(root: path)
    return try fileOperation {
      if fileSystem.exists(layout.current) { throw StoreError.alreadyExists(path: path) }
      try fileSystem.makeDirectory(path)
      let lock = try fileSystem.lock(layout.lock)
      for directory in [layout.manifests, layout.data, layout.temporary] { try fileSystem.makeDirectory(directory) }
      try fileSystem.syncDirectory(path)
      try fileSystem.syncDirectory(Paths.parent(of: path))
      let manifest = Manifest(
        storeID: UUID().uuidString.lowercased(), sequence: 1, nextFile: 1, retentionYears: retentionYears,
        lastSweep: clock.isOverridden ? nil : Instant.format(clock.now()), schema: schema, years: [])
      let store = try Store(
        path: path, mode: .writer, manifest: manifest, fileSystem: fileSystem, clock: clock, options: options,
        lock: lock)
      try store.commit(manifest, Change("create", detail: "retention \(retentionYears) years"))
      return store
    }
  }

  /// Opens the store at `path`. A writer takes the lock and sweeps (orphans, expired
  /// years) before returning; a reader takes no lock and changes nothing.
  public static func open(
    at path: String, mode: Mode, fileSystem: any FileSystem = RealFileSystem(), clock: StoreClock = .system,
    options: StoreOptions = StoreOptions()
  ) throws -> Store {
    let layout = StoreLayout(root: path)
    return try fileOperation {
      guard fileSystem.exists(layout.current) else { throw StoreError.notAStore(path: path) }
      let lock = mode == .writer ? try fileSystem.lock(layout.lock) : nil
      do {
        let manifest = try loadCurrent(layout, fileSystem)
        let store = try Store(
          path: path, mode: mode, manifest: manifest, fileSystem: fileSystem, clock: clock, options: options,
          lock: lock)
        if mode == .writer {
          try fileOperation { try store.writePendingLogEntry() }
          try store.completePendingErasures()
          try store.sweep()
        }
        return store
      } catch {
        lock?.release()
        throw error
      }
    }
  }

  /// Closes the store. A writer first tidies: years of several segments that are
  /// small enough are merged into one (as SQLite checkpoints on close), so a session
  /// of many small appends leaves no more files than one bulk load. Every append was
  /// already durable; a failed tidy only leaves more files.
  public func close() {
    if mode == .writer && writerLock != nil { tidy() }
    writerLock?.release()
    writerLock = nil
    openSegments.removeAll()
  }

  deinit {
    writerLock?.release()
  }

  /// Reads CURRENT and the manifest it names, checking the manifest's checksum.
  /// A reader racing a writer's commit retries, since the old manifest may be gone.
  static func loadCurrent(_ layout: StoreLayout, _ fileSystem: any FileSystem) throws -> Manifest {
    var attempt = 0
    while true {
      do {
        return try loadCurrentOnce(layout, fileSystem)
      } catch let error as FileSystemError where error.reason == .notFound && attempt < 20 {
        attempt += 1
        usleep(1_000)
      }
    }
  }

  private static func loadCurrentOnce(_ layout: StoreLayout, _ fileSystem: any FileSystem) throws -> Manifest {
    try loadManifest(
      named: String(decoding: try fileSystem.readFile(layout.current), as: UTF8.self), layout, fileSystem)
  }

  /// The manifest that CURRENT's text `line` names, checked against its checksum.
  static func loadManifest(named line: String, _ layout: StoreLayout, _ fileSystem: any FileSystem) throws -> Manifest {
    let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
    guard parts.count == 2, parts[0].hasPrefix("manifest/"), parts[0].hasSuffix(".json") else {
      throw StoreError.corrupt(path: layout.current, detail: "CURRENT does not name a manifest")
    }
    let manifestPath = Paths.join(layout.root, String(parts[0]))
    let bytes = try fileSystem.readFile(manifestPath)
    guard StoreLayout.hex(Checksum.xxh3(bytes)) == parts[1] else {
      throw StoreError.corrupt(path: manifestPath, detail: "checksum differs from the one CURRENT records")
    }
    return try Manifest.decode(bytes, path: manifestPath)
  }

  /// Makes `next` the live manifest, with the change-log entry of `change`: write it
  /// (tmp, fsync, rename, fsync the directory), then CURRENT the same way. CURRENT's
  /// rename is the commit point; the entry's own file follows.
  func commit(_ next: Manifest, _ change: Change) throws {
    precondition(mode == .writer && writerLock != nil, "commit without the writer lock")
    let next = withLogEntry(next, change)
    let bytes = next.encoded()
    try fileSystem.writeDurably(
      bytes, to: layout.manifest(next.sequence), via: layout.temporary("manifest-\(next.sequence).json"))
    try fileSystem.writeDurably(
      StoreLayout.currentLine(sequence: next.sequence, manifest: bytes), to: layout.current,
      via: layout.temporary("CURRENT"))
    manifest = next
    openSegments.keep(only: next.years)
    try writePendingLogEntry()
  }

  /// `body`, with file system failures reported as store errors.
  static func fileOperation<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as FileSystemError {
      throw StoreError.fileSystem(error)
    }
  }

  /// Runs a writer operation; after a failure, reloads the manifest from disk so the
  /// writer's view is what a reopen would see.
  func writerOperation<T>(_ body: () throws -> T) throws -> T {
    guard mode == .writer, writerLock != nil else {
      throw StoreError.invalidSetting("the store is open for reading; open it as the writer to change it")
    }
    do {
      return try Store.fileOperation(body)
    } catch {
      if let current = try? Store.loadCurrent(layout, fileSystem) { manifest = current }
      throw error
    }
  }

  /// The retention rule in force.
  public var retention: Retention { Retention(years: manifest.retentionYears) }
}
