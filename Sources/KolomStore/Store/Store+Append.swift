// Appending records: each record goes to the partition of its record date's year,
// one new segment per year touched, all in one commit; durable when append returns.
import Foundation
import KolomFormat

/// What an append stored.
public struct AppendResult: Sendable, Equatable {
  /// Records stored per year.
  public var recordsPerYear: [Int: Int]
  /// Segment files created (before any compaction).
  public var filesCreated: Int
}

extension Store {
  /// Stores `batch` durably: every record in the partition of its record date's year.
  /// Refuses the whole batch, storing nothing, when a record is dated after today or
  /// in an expired year. Compacts a year that ends up with too many segments.
  /// - Complexity: O(n log n) in the batch, plus any compaction.
  @discardableResult
  public func append(_ batch: RecordBatch, change: Change = Change("append")) throws -> AppendResult {
    guard case .integers(let dates)? = batch.physicalValues(schema.partitionColumn) else {
      return AppendResult(recordsPerYear: [:], filesCreated: 0)
    }
    let years = batch.rowsByYear()
    return try append(years: years.map(\.year), dates: dates, change: change) { y in
      batch.inSegmentOrder(rows: years[y].rows)
    }
  }

  /// Stores the records of `rows` (tables of the same schema) durably, as
  /// `append(_:change:)` does.
  @discardableResult
  func append(_ rows: [RecordRows], change: Change) throws -> AppendResult {
    let dates = rows.values(of: schema.index(of: schema.partitionColumn)!)
    let years = rowsByYear(dates: dates)
    let order = rows.segmentOrder()
    return try append(years: years.map(\.year), dates: dates, change: change) { y in
      rows.inSegmentOrder(rows: years[y].rows, order: order)
    }
  }

  /// Stores one new segment for each of `years` in one commit: `segment(i)` gives year
  /// i's records in segment order, made and encoded on both cores. `dates` are all
  /// records' record dates, checked first.
  private func append(
    years: [Int], dates: [Int64], change: Change, segment: @Sendable (Int) -> RecordBatch
  ) throws -> AppendResult {
    try writerOperation {
      let now = clock.now()
      try checkDates(dates, at: now)
      var next = manifest
      var result = AppendResult(recordsPerYear: [:], filesCreated: 0)
      // Sorting and encoding dominate an append; the years are independent, so both cores
      // share them. Files are then written one by one, in year order.
      let options = writerOptions(level: self.options.writer.compressionLevel)
      let segments = parallelMap(years.indices) { y in
        let records = segment(y)
        return (records, records.encodedSegment(options: options))
      }
      for (year, (records, bytes)) in zip(years, segments) {
        let file = try writeSegment(
          bytes, rows: records.count, dates: records.dateRange(of: schema.partitionColumn), year: year, in: &next)
        next.setFiles((next.partition(year)?.files ?? []) + [file], year: year)
        result.recordsPerYear[year] = records.count
        result.filesCreated += 1
      }
      guard result.filesCreated > 0 else { return result }
      next.sequence += 1
      if !clock.isOverridden { next.lastSweep = Instant.format(now) }
      try commit(next, change)
      maintain(years: result.recordsPerYear.keys.sorted())
      return result
    }
  }

  /// Refuses records dated after today or in an expired year (reported by record number,
  /// never by client number).
  /// - Complexity: O(n): the earliest and latest date tell, the record is sought only then.
  func checkDates(_ dates: [Int64], at now: Date) throws {
    guard let earliest = dates.min(), let latest = dates.max() else { return }
    let today = Retention.today(at: now)
    if latest > today.days, let row = dates.firstIndex(where: { $0 > today.days }) {
      throw StoreError.futureRecord(date: CivilDate(days: dates[row]).description, today: today.description, row: row)
    }
    // Years expire oldest first, so the earliest date tells whether any has.
    let oldest = retention.oldestLiveYear(at: now)
    if CivilDate.year(ofDays: earliest) < oldest,
      let row = dates.firstIndex(where: { CivilDate.year(ofDays: $0) < oldest })
    {
      let year = CivilDate.year(ofDays: dates[row])
      throw StoreError.expiredYear(year: year, expiredAt: Instant.local(retention.expiry(ofYear: year)), row: row)
    }
  }

  /// The writer options of the store at LZ4 level `level`.
  func writerOptions(level: Int) -> WriterOptions {
    var writerOptions = options.writer
    writerOptions.compressionLevel = level
    return writerOptions
  }

  /// Writes `bytes`, an encoded segment of `rows` records of `year` dated `dates`, as
  /// a new segment in `data/<year>/`: tmp, fsync, rename, fsync the directory. The file
  /// is garbage until a manifest names it.
  func writeSegment(
    _ bytes: [UInt8], rows: Int, dates: ClosedRange<CivilDate>, year: Int, in next: inout Manifest
  ) throws -> SegmentFile {
    let name = StoreLayout.segmentName(next.nextFile)
    next.nextFile += 1
    let directory = layout.year(year)
    if !fileSystem.exists(directory) {
      try fileSystem.makeDirectory(directory)
      try fileSystem.syncDirectory(layout.data)
    }
    try fileSystem.writeDurably(bytes, to: layout.segment(name, year: year), via: layout.temporary(name))
    return SegmentFile(
      name: name, rows: rows, bytes: bytes.count,
      footerChecksum: StoreLayout.hex(SegmentFile.footerChecksum(of: bytes)),
      minDate: dates.lowerBound.description, maxDate: dates.upperBound.description)
  }
}

extension Store {
  /// Work after a commit that the commit does not depend on: the sweep and automatic
  /// compaction. The records are already stored, so a failure here must not make the
  /// append look failed (a caller would append them twice); it is kept in
  /// `maintenanceError` and retried by the next sweep.
  func maintain(years: [Int]) {
    do {
      try sweep()
      for year in years { try compactIfCrowded(year: year) }
      maintenanceError = nil
    } catch {
      maintenanceError = error
    }
  }
}

extension SegmentFile {
  /// The footer checksum a segment's trailer records (format-spec/file-layout.md, trailer offset 16).
  static func footerChecksum(of bytes: [UInt8]) -> UInt64 {
    let at = bytes.count - Layout.trailerSize + 16
    return (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
  }
}

extension RecordBatch {
  /// The earliest and latest date in the date column `name` (the batch is not empty).
  func dateRange(of name: String) -> ClosedRange<CivilDate> {
    guard case .integers(let days)? = physicalValues(name), let low = days.min(), let high = days.max() else {
      preconditionFailure("date range of an empty batch or a non-date column \(name)")
    }
    return CivilDate(days: low)...CivilDate(days: high)
  }
}
