// Snapshots: a consistent read view of the live, unexpired years. Its files are
// opened when the snapshot is taken, so a later commit (compaction, expiry) cannot
// change what it reads.
import Foundation
import KolomFormat

/// The records of a store at one commit, without the years expired at the time taken.
public struct Snapshot: Sendable {
  public let manifest: Manifest
  public let schema: Schema
  /// The instant the snapshot was taken, by the store's clock.
  public let takenAt: Date
  /// Open segments per live year, ascending by year.
  public let segments: [(year: Int, readers: [SegmentReader])]
  /// The file names of `segments`, alike arranged: with the year, a segment's identity
  /// (a name is never reused for other contents).
  public let names: [[String]]

  /// Records in the snapshot.
  public var recordCount: Int { segments.reduce(0) { $0 + $1.readers.reduce(0) { $0 + $1.footer.rowCount } } }

  /// Every record of `year` (all of them when nil), in file order.
  /// - Complexity: O(records × columns).
  public func records(year: Int? = nil) throws -> RecordBatch {
    let parts = try segments.filter { year == nil || $0.year == year }.flatMap { $0.readers }.map {
      try RecordBatch(schema: schema, segment: $0)
    }
    return RecordBatch.concatenate(parts, schema: schema)
  }
}

extension Store {
  /// A consistent view of the live years at the store's clock. A reader loads the
  /// latest commit first; years expired at this instant are left out, even before a
  /// sweep has removed their files.
  public func snapshot() throws -> Snapshot { try snapshot(including: { _, _ in true }) }

  /// A consistent view of the live years that opens only the files `include` accepts
  /// (given the year and the file's manifest entry): a query prunes files before
  /// opening any.
  public func snapshot(including include: (Int, SegmentFile) -> Bool) throws -> Snapshot {
    try Store.fileOperation {
      var attempt = 0
      while true {
        let manifest = mode == .reader ? try currentManifest() : self.manifest
        do {
          return try snapshot(of: manifest, including: include)
        } catch let error as FileSystemError where error.reason == .notFound && mode == .reader && attempt < 20 {
          attempt += 1  // a commit replaced files between reading CURRENT and opening them
        }
      }
    }
  }

  private func snapshot(of manifest: Manifest, including include: (Int, SegmentFile) -> Bool) throws -> Snapshot {
    let now = clock.now()
    let retention = Retention(years: manifest.retentionYears)
    let live = manifest.years.filter { !retention.isExpired(year: $0.year, at: now) }
    let included = live.map { partition in (partition.year, partition.files.filter { include(partition.year, $0) }) }
    let segments = try included.map { year, files in
      (
        year,
        try files.map { file in
          try openSegments.reader(year: year, file: file) {
            try SegmentReader(fileSystem.openSegment(layout.segment(file.name, year: year)))
          }
        }
      )
    }
    openSegments.keep(only: live)
    return Snapshot(
      manifest: manifest, schema: schema, takenAt: now, segments: segments, names: included.map { $0.1.map(\.name) })
  }

  /// The live manifest: CURRENT read, and the manifest it names parsed again only
  /// when CURRENT has changed since the last snapshot.
  private func currentManifest() throws -> Manifest {
    var attempt = 0
    while true {
      do {
        let line = String(decoding: try fileSystem.readFile(layout.current), as: UTF8.self)
        if let known = openSegments.manifest(named: line) { return known }
        let manifest = try Store.loadManifest(named: line, layout, fileSystem)
        openSegments.remember(manifest, named: line)
        return manifest
      } catch let error as FileSystemError where error.reason == .notFound && attempt < 20 {
        attempt += 1  // a commit replaced the manifest between reading CURRENT and reading it
        usleep(1_000)
      }
    }
  }
}

/// The segments a store has open, kept from one snapshot to the next: a segment file
/// never changes, so its footer is read once. Only files of the latest manifest's live
/// years are kept; the others are closed at the next snapshot.
final class OpenSegments: @unchecked Sendable {
  private let lock = NSLock()
  private var readers: [String: SegmentReader] = [:]
  private var manifest: (line: String, manifest: Manifest)? = nil

  func reader(year: Int, file: SegmentFile, open: () throws -> SegmentReader) rethrows -> SegmentReader {
    let key = OpenSegments.key(year, file)
    if let known = lock.withLock({ readers[key] }) { return known }
    let reader = try open()
    lock.withLock { readers[key] = reader }
    return reader
  }

  /// Closes every segment not in `years`.
  func keep(only years: [YearPartition]) {
    let live = Set(years.flatMap { year in year.files.map { OpenSegments.key(year.year, $0) } })
    lock.withLock { readers = readers.filter { live.contains($0.key) } }
  }

  func manifest(named line: String) -> Manifest? {
    lock.withLock { manifest?.line == line ? manifest?.manifest : nil }
  }

  func remember(_ manifest: Manifest, named line: String) { lock.withLock { self.manifest = (line, manifest) } }

  func removeAll() {
    lock.withLock {
      readers = [:]
      manifest = nil
    }
  }

  private static func key(_ year: Int, _ file: SegmentFile) -> String { "\(year)/\(file.name)/\(file.footerChecksum)" }
}
