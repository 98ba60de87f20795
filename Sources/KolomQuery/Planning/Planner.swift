// Planner: from a bound query to the row groups to read. Injects the access policy's
// row restriction, prunes whole files (year partitions) from the manifest's dates
// before opening any, then row groups from their exact statistics, and notes which
// row groups need no filtering and which can be answered from statistics alone.
import Dispatch
import Foundation
import KolomFormat
import KolomStore
import Synchronization

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
  /// Row groups left out because the case numbers show the client is not in them.
  public var rowGroupsWithoutTheCase = 0

  public init() {}
}

/// A planned query.
struct QueryPlan: Sendable {
  var query: BoundQuery
  var files: [ScanFile]
  var tasks: [ScanTask]
  var counts: ScanCounts
  /// The access policy's row restriction as text (for EXPLAIN), if the role has one.
  var restriction: String? = nil
  /// The database's case numbers (count(DISTINCT) of pseudonyms, lookups of one client).
  var cases: CaseNumbers
}

enum Planner {
  /// Plans `query` on the live data of `store` for `access`.
  static func plan(
    _ query: BoundQuery, catalog: Catalog, store: Store, access: AccessContext, cases: CaseNumbers
  ) throws -> QueryPlan {
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
    if let exclusion = excluded(snapshot.manifest, catalog: catalog) {
      query.filter = query.filter.map { .and(exclusion, $0) } ?? exclusion
    }
    counts.years = snapshot.segments.count
    var files: [ScanFile] = []
    for ((year, readers), names) in zip(snapshot.segments, snapshot.names) {
      if !readers.isEmpty { counts.yearsRead += 1 }
      for (reader, name) in zip(readers, names) {
        files.append(ScanFile(year: year, name: name, reader: reader, columns: columnMap(reader, catalog.schema)))
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
    if let (physical, pseudonym) = query.filter.flatMap(clientLookup) {
      let before = tasks.count
      tasks = try rowGroups(holding: pseudonym, physical: physical, of: tasks, files: files, cases: cases)
      counts.rowGroupsWithoutTheCase = before - tasks.count
      counts.rowGroupsRead = tasks.count
      counts.rowsRead = tasks.reduce(0) { $0 + files[$1.file].reader.footer.rowGroups[$1.group].rowCount }
    }
    var restrictionText: String? = nil
    if case .ret(let region) = access.role { restrictionText = "regio = '\(region)' (role ret, applied at the scan)" }
    return QueryPlan(
      query: query, files: files, tasks: tasks, counts: counts, restriction: restrictionText, cases: cases)
  }

  /// The pseudonym column and value of a conjunct `pseudonym = X'…'` of `filter`: a
  /// query about one client (a subject-access request).
  private static func clientLookup(_ filter: BoundExpression) -> (Int, [UInt8])? {
    switch filter {
    case .and(let a, let b): return clientLookup(a) ?? clientLookup(b)
    case .compare(.equal, .column(let p, .id), .constant(.bytes(let value), _)),
      .compare(.equal, .constant(.bytes(let value), _), .column(let p, .id)):
      return (p, value)
    default: return nil
    }
  }

  /// The tasks whose row group holds `pseudonym`, by the case numbers (numbering the
  /// row groups not yet numbered, both cores at once).
  private static func rowGroups(
    holding pseudonym: [UInt8], physical: Int, of tasks: [ScanTask], files: [ScanFile], cases: CaseNumbers
  ) throws -> [ScanTask] {
    let failure = Mutex<Error?>(nil)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(2, max(1, tasks.count))) { _ in
      while true {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard i < tasks.count else { return }
        do {
          _ = try cases.rowGroup(files[tasks[i].file], group: tasks[i].group, physical: physical)
        } catch {
          failure.withLock { $0 = $0 ?? error }
        }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    guard let number = cases.number(of: pseudonym) else { return [] }
    return try tasks.filter {
      try cases.rowGroup(files[$0.file], group: $0.group, physical: physical).contains(number)
    }
  }

  /// Restricted clients, and clients whose erasure is under way, are left out of every
  /// analysis, whatever the role: `clientnummer NOT IN (…)` at the scan.
  private static func excluded(_ manifest: Manifest, catalog: Catalog) -> BoundExpression? {
    let hexes = (manifest.restricted ?? []) + (manifest.pendingErasure ?? []).map(\.pseudonym)
    guard !hexes.isEmpty,
      let name = catalog.schema.columns.first(where: { if case .id = $0.type { true } else { false } })?.name,
      case .scalar(let p, let type)? = catalog.column(name)
    else { return nil }
    return .inSet(.column(p, type), hexes.compactMap { PseudonymKey.bytes(hex: $0) }.map { .bytes($0) }, negated: true)
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
