// Planner: from a bound query to the row groups to read. Injects the access policy's
// row restriction, prunes whole files (year partitions) from the manifest's dates
// before opening any, then row groups from their exact statistics, and notes which
// row groups need no filtering and which can be answered from statistics alone.
import Foundation
import KolomFormat
import KolomStore

/// An open segment of the scan.
struct ScanFile: Sendable {
  let year: Int
  let name: String
  let reader: SegmentReader
  /// For each physical column of the schema, its index in this file (nil: the file lacks it).
  let columns: [Int?]
}

/// One row group to read.
struct ScanTask: Sendable {
  let file: Int
  let group: Int
  /// The filter holds on every row (by statistics): no need to evaluate it.
  let filterAlwaysTrue: Bool
}

/// What pruning did, for EXPLAIN and `.timer`.
public struct ScanCounts: Sendable, Equatable {
  public var years = 0
  public var yearsRead = 0
  public var files = 0
  public var filesRead = 0
  public var rowGroups = 0
  public var rowGroupsRead = 0
  public var rowGroupsFromStatistics = 0
  public var rowsRead = 0

  public init() {}
}

/// A planned query.
struct QueryPlan: Sendable {
  var query: BoundQuery
  var files: [ScanFile]
  var tasks: [ScanTask]
  var counts: ScanCounts
}

enum Planner {
  /// Plans `query` on the live data of `store` for `access`.
  static func plan(_ query: BoundQuery, catalog: Catalog, store: Store, access: AccessContext) throws -> QueryPlan {
    var query = query
    if !query.isAggregate && !access.mayReadRecords {
      throw QueryError.notAllowed("this role sees aggregates only: add count(*) or another aggregate with GROUP BY")
    }
    if let restriction = try restriction(for: access, catalog: catalog) {
      query.filter = query.filter.map { .and(restriction, $0) } ?? restriction
    }
    var counts = ScanCounts()
    let partition = catalog.partitionColumn
    let snapshot = try store.snapshot { year, file in
      counts.files += 1
      guard let filter = query.filter, let partition else { return true }
      return StatisticsFilter.evaluate(filter, FileDates(file: file, column: partition)).mayBeTrue
    }
    counts.years = snapshot.segments.count
    var files: [ScanFile] = []
    for (year, readers) in snapshot.segments {
      if !readers.isEmpty { counts.yearsRead += 1 }
      for reader in readers {
        files.append(ScanFile(year: year, name: "", reader: reader, columns: columnMap(reader, catalog.schema)))
      }
    }
    counts.filesRead = files.count
    var tasks: [ScanTask] = []
    for (f, file) in files.enumerated() {
      for g in file.reader.footer.rowGroups.indices {
        counts.rowGroups += 1
        let part = RowGroupStatistics(file: file, group: g)
        let possible =
          query.filter.map { StatisticsFilter.evaluate($0, part) }
          ?? Possibility(
            mayBeTrue: true, mayBeFalse: false, mayBeNull: false)
        guard possible.mayBeTrue else { continue }
        tasks.append(ScanTask(file: f, group: g, filterAlwaysTrue: possible.isAlwaysTrue))
        counts.rowGroupsRead += 1
        counts.rowsRead += part.rows
      }
    }
    return QueryPlan(query: query, files: files, tasks: tasks, counts: counts)
  }

  /// The row restriction of `access`: an RET's own region.
  private static func restriction(for access: AccessContext, catalog: Catalog) throws -> BoundExpression? {
    guard case .ret(let region) = access.role else { return nil }
    guard case .scalar(let p, let type)? = catalog.column("regio"), let code = type.dictionary?.index(of: region) else {
      throw QueryError.notAllowed("the access context names region '\(region)', which is not a jeugdregio code")
    }
    return .compare(.equal, .column(p, type), .constant(.int(Int64(code)), type))
  }

  /// For each schema physical column, its index in `reader`'s file, matched by field id.
  static func columnMap(_ reader: SegmentReader, _ schema: Schema) -> [Int?] {
    var byField: [UInt32: Int] = [:]
    for (i, column) in reader.footer.columns.enumerated() where byField[column.fieldID] == nil {
      byField[column.fieldID] = i
    }
    return schema.physical.columns.map { wanted in
      byField[wanted.fieldID].flatMap { reader.footer.columns[$0].kind == wanted.kind ? $0 : nil }
    }
  }
}

/// A file's statistics as the manifest knows them: the partition dates only.
struct FileDates: PartStatistics {
  let file: SegmentFile
  let column: Int

  var rows: Int { file.rows }

  func statistics(_ physical: Int) -> ChunkStatistics? {
    guard physical == column, let low = CivilDate(iso: file.minDate), let high = CivilDate(iso: file.maxDate) else {
      return nil
    }
    return ChunkStatistics(nullCount: 0, min: low.days, max: high.days, trueCount: 0, presence: nil)
  }
}

/// A row group's exact chunk statistics.
struct RowGroupStatistics: PartStatistics {
  let file: ScanFile
  let group: Int

  var rows: Int { file.reader.footer.rowGroups[group].rowCount }

  func statistics(_ physical: Int) -> ChunkStatistics? {
    guard let c = file.columns[physical] else { return nil }
    return file.reader.footer.chunk(rowGroup: group, column: c).statistics
  }
}
