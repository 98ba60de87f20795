// Kolom: the embedding API. Other Swift programs (and the kolom tool, the REPL and the
// benchmarks) open a store, run queries with named parameters under an access
// context, read typed results, cancel, and close, through this facade alone.
import Foundation
@_exported import KolomQuery
@_exported import KolomStore

#if canImport(Glibc)
  import CMalloc
#endif

/// An open Kolom store, ready for queries.
///
/// ```swift
/// let db = try Database(path: "demo")
/// let result = try db.query("SELECT regio, count(*) AS n FROM cases GROUP BY ALL")
/// for row in result.rows { print(row[0], row[1]) }
/// db.close()
/// ```
public final class Database: @unchecked Sendable {
  /// How a database is opened.
  public enum Mode: Sendable {
    /// Queries only; takes no lock, never blocks the writer, sees whole commits.
    case readOnly
    /// The one writer: also appends, compacts, expires (see `store`).
    case writer
  }

  /// The store underneath, for maintenance (append, compact, expire, verify).
  public let store: Store
  /// The table `cases` as queries see it.
  public let catalog: Catalog
  /// Pseudonyms' numbers, kept between queries (segments never change).
  private let cases = CaseNumbers()

  /// Opens the store at `path`. `clock` overrides the wall clock (tests, `--now`).
  public convenience init(path: String, mode: Mode = .readOnly, clock: StoreClock = .system) throws {
    self.init(store: try Store.open(at: path, mode: mode == .writer ? .writer : .reader, clock: clock))
  }

  /// Queries `store`, opened by the caller (in memory, through a test file system, …).
  public init(store: Store) {
    Database.tuneAllocator
    self.store = store
    catalog = Catalog(schema: store.schema)
  }

  /// Runs `sql` (one SELECT of the query language) with `:name` parameters as `access`
  /// may see it. `cancellation` stops it between row groups from another thread.
  /// Throws `QueryError`, whose `rendered(in:)` points at the mistake.
  /// - Complexity: O(rows of the row groups left after pruning).
  public func query(
    _ sql: String, parameters: [String: Value] = [:], access: AccessContext = .owner,
    cancellation: Cancellation? = nil
  ) throws -> ResultSet {
    try QueryEngine.run(
      sql, on: store, catalog: catalog, parameters: parameters, access: access, cancellation: cancellation,
      cases: cases)
  }

  /// Checks `sql` without running it; throws the error it would give.
  public func check(_ sql: String, parameters: [String: Value] = [:]) throws {
    try QueryEngine.check(sql, catalog: catalog, parameters: parameters)
  }

  /// Releases the store (and the writer's lock).
  public func close() { store.close() }

  /// Once per process: glibc's malloc maps every block above 128 KiB afresh and returns
  /// it on free, so each decoded chunk (512 KiB for 65,536 integers) would cost page
  /// faults and zeroing. Keeping up to 1 GiB of freed blocks for reuse halves the time
  /// of queries that read few row groups.
  private static let tuneAllocator: Void = {
    #if canImport(Glibc)
      _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
      _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    #endif
  }()
}
