// Settings changed only by explicit command: the retention period.
import Foundation

extension Store {
  /// Sets the retention period to `years` in one commit, then sweeps: shortening it
  /// expires years at once; lengthening it brings nothing back.
  public func setRetention(years: Int) throws {
    guard (1...100).contains(years) else {
      throw StoreError.invalidSetting("retention must be 1 ... 100 years, not \(years)")
    }
    try writerOperation {
      var next = manifest
      next.retentionYears = years
      next.sequence += 1
      try commit(next, Change("retention", detail: "retention \(manifest.retentionYears) → \(years) years"))
    }
    try sweep()
  }

  /// Facts for `kolom info`.
  public var info: StoreInfo {
    let retention = self.retention
    let oldest = manifest.years.first?.year
    return StoreInfo(
      years: manifest.years, retentionYears: manifest.retentionYears,
      oldestYear: oldest, oldestExpires: oldest.map { retention.expiry(ofYear: $0) },
      lastSweep: manifest.lastSweep, storeID: manifest.storeID, sequence: manifest.sequence)
  }
}

/// What a store holds, for people.
public struct StoreInfo: Sendable {
  public var years: [YearPartition]
  public var retentionYears: Int
  public var oldestYear: Int?
  public var oldestExpires: Date?
  public var lastSweep: String?
  public var storeID: String
  public var sequence: Int

  public var records: Int { years.reduce(0) { $0 + $1.rows } }
  public var bytes: Int { years.reduce(0) { $0 + $1.bytes } }
  public var files: Int { years.reduce(0) { $0 + $1.files.count } }
}
