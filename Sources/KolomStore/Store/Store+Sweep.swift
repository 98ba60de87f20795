// The sweep: expired years leave the manifest (logical expiry happened at the
// instant already, for readers), then every file the live manifest does not name is
// removed: tmp leftovers, old manifests, compacted segments, expired years.
import Foundation

extension Store {
  /// Expires years past retention and removes orphans. Runs on open, after every
  /// commit, and from `kolom expire`. Refuses a clock earlier than the last recorded
  /// sweep or implausibly far beyond it. Returns the years expired.
  @discardableResult
  public func sweep() throws -> [Int] {
    try writerOperation {
      let now = clock.now()
      try checkClock(now)
      let expired = manifest.years.map(\.year).filter { retention.isExpired(year: $0, at: now) }
      if !expired.isEmpty {
        var next = manifest
        next.years.removeAll { expired.contains($0.year) }
        next.sequence += 1
        if !clock.isOverridden { next.lastSweep = Instant.format(now) }
        try commit(
          next, Change("expire", detail: "years past retention: \(expired.map(String.init).joined(separator: ", "))"))
      }
      try removeOrphans()
      return expired
    }
  }

  func checkClock(_ now: Date) throws {
    guard let text = manifest.lastSweep, let last = Instant.parse(text) else { return }
    if now < last && !clock.isOverridden {
      throw StoreError.clockBeforeLastSweep(now: Instant.format(now), lastSweep: text)
    }
    if now.timeIntervalSince(last) > options.maxClockJump {
      throw StoreError.invalidSetting(
        "the clock (\(Instant.format(now))) is more than \(Int(options.maxClockJump / 86_400)) days past the store's "
          + "last sweep (\(text)); a sweep now would expire years on a clock that may be wrong. Check the clock.")
    }
  }

  /// Removes every file and directory under the store that the live manifest does not
  /// name. Tries everything, then reports the first failure (it is retried next sweep).
  func removeOrphans() throws {
    var failures: [Error] = []
    func attempt(_ body: () throws -> Void) {
      do { try body() } catch { failures.append(error) }
    }
    let live = Dictionary(uniqueKeysWithValues: manifest.years.map { ($0.year, Set($0.files.map(\.name))) })
    for name in try fileSystem.listDirectory(layout.temporary) {
      attempt { try fileSystem.removeFile(layout.temporary(name)) }
    }
    let currentManifest = Paths.name(of: layout.manifest(manifest.sequence))
    var removedManifest = false
    for name in try fileSystem.listDirectory(layout.manifests) where name != currentManifest {
      attempt { try fileSystem.removeFile(Paths.join(layout.manifests, name)) }
      removedManifest = true
    }
    if removedManifest { attempt { try fileSystem.syncDirectory(layout.manifests) } }
    var removedYear = false
    for entry in try fileSystem.listDirectory(layout.data) {
      let directory = Paths.join(layout.data, entry)
      let keep = Int(entry).flatMap { live[$0] } ?? []
      var removed = false
      for name in try fileSystem.listDirectory(directory) where !keep.contains(name) {
        attempt { try fileSystem.removeFile(Paths.join(directory, name)) }
        removed = true
      }
      if keep.isEmpty {
        attempt { try fileSystem.removeDirectory(directory) }
        removedYear = true
      } else if removed {
        attempt { try fileSystem.syncDirectory(directory) }
      }
    }
    if removedYear { attempt { try fileSystem.syncDirectory(layout.data) } }
    if let first = failures.first {
      throw (first as? FileSystemError).map(StoreError.cleanupFailed) ?? first
    }
  }
}
