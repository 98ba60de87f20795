// Pruning, observed through the FileSystem seam: a query on one year opens only that
// year's files, a code absent from a row group skips it, a query for one client reads
// only the row groups holding it, and only the columns a query needs are read.
import Foundation
import Kolom
import KolomFormat
import Synchronization
import Testing

@Suite(.serialized) struct PruningTests {
  /// The generated records in a store whose segment opens and chunk reads are recorded.
  static let recording = RecordingFileSystem()
  static let database = QueryFixtures.database(
    QueryFixtures.generated, batches: 2, rowGroupSize: 500, fileSystem: recording)

  /// The segment files read from (chunks, not the footers read on opening) and the
  /// bytes read while `query` runs.
  func observe(_ query: String) throws -> (result: ResultSet, read: [String], bytesRead: Int) {
    Self.recording.reset()
    let result = try Self.database.query(query)
    let log = Self.recording.log
    return (result, log.read, log.bytesRead)
  }

  @Test func aQueryOnOneYearOpensOnlyThatYearsFiles() throws {
    for query in [
      "SELECT count(*) FROM cases WHERE year(datum) = 2024 AND regio <> 'JZ01'",
      "SELECT fase, count(*) FROM cases WHERE datum BETWEEN DATE '2024-03-01' AND DATE '2024-04-30' GROUP BY ALL",
      "SELECT count(DISTINCT clientnummer) FROM cases WHERE datum >= DATE '2024-01-01' AND datum < DATE '2025-01-01'",
    ] {
      let (result, read, _) = try observe(query)
      #expect(!read.isEmpty, "\(query) read nothing")
      #expect(read.allSatisfy { $0.hasPrefix("/store/data/2024/") }, "\(query) read \(read)")
      #expect(result.counts.yearsRead == 1 && result.counts.years == 10, "\(result.counts)")
      #expect(try DifferentialPair.large.mismatch(query) == nil)
    }
  }

  @Test func aQueryOnEveryYearOpensEveryYear() throws {
    let (_, read, _) = try observe("SELECT count(*) FROM cases WHERE geboortejaar > 2010")
    let years = Set(read.map { $0.split(separator: "/")[2] })
    #expect(years.count == 10, "read the years \(years.sorted())")
  }

  @Test func aSegmentIsOpenedOnceForManyQueries() throws {
    let recording = RecordingFileSystem()
    let database = QueryFixtures.database(QueryFixtures.generated, batches: 2, rowGroupSize: 500, fileSystem: recording)
    recording.reset()  // forget what writing the store opened
    _ = try database.query("SELECT count(*) FROM cases WHERE year(datum) = 2024 AND regio = 'JZ13'")
    let first = recording.log.opened
    #expect(!first.isEmpty && first.allSatisfy { $0.hasPrefix("/store/data/2024/") }, "\(first)")
    _ = try database.query("SELECT regio, count(*) FROM cases GROUP BY regio")
    let both = recording.log.opened
    #expect(Set(both).count == both.count, "opened again: \(both)")
    #expect(Set(both.map { $0.split(separator: "/")[2] }).count == 10)
  }

  @Test func aCodeAbsentFromARowGroupSkipsIt() throws {
    // Segments are sorted by region, so one region lies in one or two row groups per file.
    let query = "SELECT count(*) FROM cases WHERE regio = 'JZ13' AND geboortejaar > 2008"
    let (one, read, _) = try observe(query)
    let (all, _, _) = try observe("SELECT count(*) FROM cases WHERE geboortejaar > 2008")
    #expect(one.counts.rowGroupsRead <= 2 * read.count, "read \(one.counts) of \(read.count) files")
    #expect(one.counts.rowGroupsRead * 2 < one.counts.rowGroups, "\(one.counts)")
    #expect(all.counts.rowGroupsRead == all.counts.rowGroups)
    #expect(try DifferentialPair.large.mismatch(query) == nil)
  }

  @Test func aFlagNoRecordOfARowGroupHasSkipsIt() throws {
    let query = "SELECT count(*) FROM cases WHERE problematiek_jeugdige HAS 'nah' AND regio IN ('JZ13', 'JZ01')"
    let (result, _, _) = try observe(query)
    #expect(result.counts.rowGroupsRead < result.counts.rowGroups, "\(result.counts)")
    #expect(try DifferentialPair.large.mismatch(query) == nil)
  }

  @Test func onlyTheColumnsAQueryNeedsAreRead() throws {
    let (_, _, narrow) = try observe("SELECT regio, count(*) FROM cases WHERE geboortejaar > 2008 GROUP BY ALL")
    let (_, _, wide) = try observe("SELECT * FROM cases WHERE geboortejaar > 2008")
    #expect(narrow * 5 < wide, "a two-column query read \(narrow) bytes, SELECT * \(wide)")
  }

  @Test func aQueryForOneClientReadsOnlyTheRowGroupsHoldingIt() throws {
    // A client of several records, found through the language itself.
    let probe = try Self.database.query(
      "SELECT clientnummer, count(*) AS n FROM cases GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")
    guard case .bytes(let pseudonym) = probe.rows[0][0] else {
      Issue.record("no pseudonym in \(probe.rows)")
      return
    }
    let literal = "X'" + pseudonym.map { String(format: "%02x", $0) }.joined() + "'"
    let query = "SELECT datum, fase, regio FROM cases WHERE clientnummer = \(literal) ORDER BY datum, fase"
    let (result, _, _) = try observe(query)
    #expect(result.rows.count == Int(probe.rows[0][1].description))
    #expect(result.counts.rowGroupsRead <= result.rows.count, "\(result.counts)")
    #expect(result.counts.rowGroupsWithoutTheCase > 0, "\(result.counts)")
    #expect(try DifferentialPair.large.mismatch(query) == nil)
    // The same, asked again (numbers known) and combined with other conditions.
    let again = try Self.database.query(query + " LIMIT 100")
    #expect(again.rows == result.rows)
    let combined = "SELECT count(*) FROM cases WHERE fase <> 'aanmelding' AND \(literal) = clientnummer"
    #expect(try DifferentialPair.large.mismatch(combined) == nil)
  }

  @Test func aClientNoRowGroupHoldsReadsNothing() throws {
    let (result, _, bytes) = try observe(
      "SELECT * FROM cases WHERE clientnummer = X'00112233445566778899aabbccddeeff'")
    #expect(result.rows.isEmpty)
    #expect(result.counts.rowGroupsRead == 0, "\(result.counts)")
    // Only the pseudonym column is read, to find where the client is not.
    let (_, _, wide) = try observe("SELECT * FROM cases WHERE geboortejaar > 2008")
    #expect(bytes * 5 < wide, "read \(bytes) bytes to find no client, SELECT * \(wide)")
  }

  @Test func countsWithoutAFilterComeFromStatisticsAlone() throws {
    let (result, _, bytes) = try observe("SELECT count(*) FROM cases WHERE year(datum) >= 2017")
    #expect(result.rows == [[.int(Int64(QueryFixtures.generated.count))]])
    #expect(result.counts.rowGroupsFromStatistics == result.counts.rowGroupsRead, "\(result.counts)")
    #expect(bytes == 0, "read \(bytes) bytes of chunks")
  }
}

/// A file system in memory that records the segments opened and the bytes read from them.
final class RecordingFileSystem: FileSystem, @unchecked Sendable {
  struct Log {
    var opened: [String] = []
    /// The segments chunks were read from, once each, in order of first read.
    var read: [String] = []
    var bytesRead = 0
  }
  private let base = InMemoryFileSystem()
  private let state = Mutex(Log())

  var log: Log { state.withLock { $0 } }
  func reset() { state.withLock { $0 = Log() } }
  fileprivate func record(_ bytes: Int, from path: String) {
    state.withLock {
      $0.bytesRead += bytes
      if !$0.read.contains(path) { $0.read.append(path) }
    }
  }

  func openSegment(_ path: String) throws -> any SegmentSource {
    let source = try base.openSegment(path)
    state.withLock { $0.opened.append(path) }
    return RecordingSegment(base: source, path: path, owner: self)
  }

  func readFile(_ path: String) throws -> [UInt8] { try base.readFile(path) }
  func writeFile(_ path: String, _ bytes: [UInt8]) throws { try base.writeFile(path, bytes) }
  func syncFile(_ path: String) throws { try base.syncFile(path) }
  func rename(_ path: String, to target: String) throws { try base.rename(path, to: target) }
  func removeFile(_ path: String) throws { try base.removeFile(path) }
  func makeDirectory(_ path: String) throws { try base.makeDirectory(path) }
  func removeDirectory(_ path: String) throws { try base.removeDirectory(path) }
  func syncDirectory(_ path: String) throws { try base.syncDirectory(path) }
  func listDirectory(_ path: String) throws -> [String] { try base.listDirectory(path) }
  func exists(_ path: String) -> Bool { base.exists(path) }
  func lock(_ path: String) throws -> any WriterLock { try base.lock(path) }
}

/// A segment whose chunk reads are counted: every read after the three that open it
/// (the header, the trailer, then the footer).
private final class RecordingSegment: SegmentSource, @unchecked Sendable {
  let base: any SegmentSource
  let path: String
  let owner: RecordingFileSystem
  private let reads = Atomic<Int>(0)
  var size: Int { base.size }

  init(base: any SegmentSource, path: String, owner: RecordingFileSystem) {
    self.base = base
    self.path = path
    self.owner = owner
  }

  func read(offset: Int, count: Int) throws -> [UInt8] {
    if reads.wrappingAdd(1, ordering: .relaxed).oldValue >= 3 { owner.record(count, from: path) }
    return try base.read(offset: offset, count: count)
  }
}
