// Compaction: merging a year's segments into one in one commit, so that many small
// appends never slow queries down. Automatic compaction after an append copies large
// row groups as they are and re-encodes only small ones; `compact` and the tidy on
// close rewrite a year into one sorted segment.
import KolomFormat

/// How a merge builds its segment.
enum MergeMode {
  /// Decode everything, sort it into segment order, encode at the compaction level.
  case rewrite
  /// Copy row groups of at least `StoreOptions.copyableRowGroupRows` rows verbatim
  /// (their chunks are checked, not decoded); re-encode the smaller ones together.
  case copyLargeRowGroups
}

extension Store {
  /// Merges every year that has more than one segment (or just `year`) into one
  /// sorted segment each. Returns the years compacted.
  /// - Complexity: O(records of the years compacted × columns).
  @discardableResult
  public func compact(year: Int? = nil) throws -> [Int] {
    try writerOperation {
      let years = manifest.years.filter { ($0.year == year || year == nil) && $0.files.count > 1 }
      for partition in years { try merge(partition.files, year: partition.year, mode: .rewrite) }
      return years.map(\.year)
    }
  }

  /// After an append: when a year holds more than `maxSegmentsPerYear` segments, merge
  /// its smallest files down to half that many. Large row groups are copied, so a
  /// record is re-encoded only while its row group is small.
  func compactIfCrowded(year: Int) throws {
    guard let files = manifest.partition(year)?.files, files.count > options.maxSegmentsPerYear else { return }
    let smallest = files.sorted { $0.rows < $1.rows }.prefix(files.count - options.maxSegmentsPerYear / 2)
    try merge(Array(smallest), year: year, mode: .copyLargeRowGroups)
  }

  /// On close: rewrites each year of several segments whose size is within
  /// `tidyLimitBytes` into one sorted segment. Failures are kept in `maintenanceError`.
  func tidy() {
    for partition in manifest.years where partition.files.count > 1 && partition.bytes <= options.tidyLimitBytes {
      do {
        try writerOperation { try merge(partition.files, year: partition.year, mode: .rewrite) }
      } catch {
        maintenanceError = error
        return
      }
    }
  }

  /// Replaces `files` of `year` by one segment of all their records, in one commit.
  private func merge(_ files: [SegmentFile], year: Int, mode: MergeMode) throws {
    let readers = try files.map { try SegmentReader(fileSystem.openSegment(layout.segment($0.name, year: year))) }
    let bytes =
      switch mode {
      case .rewrite: try rewritten(readers)
      case .copyLargeRowGroups: try copyingLargeRowGroups(readers)
      }
    var next = manifest
    let dates = files.map { CivilDate(iso: $0.minDate)! }.min()!...files.map { CivilDate(iso: $0.maxDate)! }.max()!
    let rows = files.reduce(0) { $0 + $1.rows }
    let file = try writeSegment(bytes, rows: rows, dates: dates, year: year, in: &next)
    let replaced = Set(files.map(\.name))
    next.setFiles(next.partition(year)!.files.filter { !replaced.contains($0.name) } + [file], year: year)
    next.sequence += 1
    try commit(next, Change("compact"))
    do {
      try removeOrphans()
    } catch {
      maintenanceError = error  // merged and committed; the next sweep removes the old files
    }
  }

  /// One sorted segment of every record of `readers`, at the compaction level.
  private func rewritten(_ readers: [SegmentReader]) throws -> [UInt8] {
    let parts = try readers.map { try RecordBatch(schema: schema, segment: $0) }
    let merged = RecordBatch.concatenate(parts, schema: schema).inSegmentOrder()
    return merged.encodedSegment(options: writerOptions(level: options.compactionLevel))
  }

  /// One segment of the large row groups of `readers`, copied, then the small ones,
  /// decoded, sorted and encoded together.
  private func copyingLargeRowGroups(_ readers: [SegmentReader]) throws -> [UInt8] {
    var writer = SegmentWriter(
      columns: schema.physical.columns, options: writerOptions(level: options.writer.compressionLevel))
    var small: [RecordBatch] = []
    for reader in readers {
      // A file of an older schema has other columns: it can only be re-encoded.
      let copyable = reader.footer.columns == schema.physical.columns
      for (g, group) in reader.footer.rowGroups.enumerated() {
        if copyable && group.rowCount >= options.copyableRowGroupRows {
          writer.appendEncoded(rows: group.rowCount, chunks: try reader.encodedRowGroup(g))
        } else {
          small.append(try RecordBatch(schema: schema, segment: reader, rowGroup: g))
        }
      }
    }
    let rest = RecordBatch.concatenate(small, schema: schema).inSegmentOrder()
    if rest.count > 0 { writer.append(rest.columns) }
    return writer.finish()
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
