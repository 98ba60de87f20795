// Compaction: merging a year's segments into one sorted segment in one commit, so
// that many small appends never slow queries down.
import KolomFormat

extension Store {
  /// Merges every year that has more than one segment (or just `year`) into one
  /// segment each. Returns the years compacted.
  /// - Complexity: O(records of the years compacted × columns).
  @discardableResult
  public func compact(year: Int? = nil) throws -> [Int] {
    try writerOperation {
      let years = manifest.years.filter { ($0.year == year || year == nil) && $0.files.count > 1 }
      for partition in years { try merge(partition.files, year: partition.year) }
      return years.map(\.year)
    }
  }

  /// After an append: when a year holds more than `maxSegmentsPerYear` segments, merge
  /// the small ones (everything but the largest file, unless together they exceed a
  /// quarter of it: then everything), so a record is rewritten a bounded number of times.
  func compactIfCrowded(year: Int) throws {
    guard let files = manifest.partition(year)?.files, files.count > options.maxSegmentsPerYear else { return }
    let largest = files.max { $0.rows < $1.rows }!
    let others = files.filter { $0.name != largest.name }
    let smallOnes = others.reduce(0) { $0 + $1.rows } * 4 < largest.rows
    try merge(smallOnes ? others : files, year: year)
  }

  /// On close: merges each year of several segments whose size is within
  /// `tidyLimitBytes`. Failures are kept in `maintenanceError`.
  func tidy() {
    for partition in manifest.years where partition.files.count > 1 && partition.bytes <= options.tidyLimitBytes {
      do {
        try writerOperation { try merge(partition.files, year: partition.year) }
      } catch {
        maintenanceError = error
        return
      }
    }
  }

  /// Replaces `files` of `year` by one segment of all their records, in one commit.
  private func merge(_ files: [SegmentFile], year: Int) throws {
    let parts = try files.map { file -> RecordBatch in
      let reader = try SegmentReader(fileSystem.openSegment(layout.segment(file.name, year: year)))
      return try RecordBatch(schema: schema, segment: reader)
    }
    let merged = RecordBatch.concatenate(parts, schema: schema)
    var next = manifest
    let file = try writeSegment(merged, year: year, in: &next, level: options.compactionLevel)
    let replaced = Set(files.map(\.name))
    next.setFiles(next.partition(year)!.files.filter { !replaced.contains($0.name) } + [file], year: year)
    next.sequence += 1
    try commit(next)
    do {
      try removeOrphans()
    } catch {
      maintenanceError = error  // merged and committed; the next sweep removes the old files
    }
  }
}

extension RecordBatch {
  /// The records of `parts` one after another.
  public static func concatenate(_ parts: [RecordBatch], schema: Schema) -> RecordBatch {
    let columns = schema.physical.columns.enumerated().map { c, column in
      ColumnData.concatenate(parts.map { $0.columns[c] }, column: column)
    }
    return RecordBatch(schema: schema, columns: columns)
  }
}
