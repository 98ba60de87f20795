// Differential: one query on Kolom and on SQLite, the same records in each, and the
// difference between their results, if any, printed with the query.
import Kolom

/// A database and the oracle holding the same records.
struct DifferentialPair: Sendable {
  let database: Database
  let oracle: SQLiteOracle

  static let small = DifferentialPair(
    database: QueryFixtures.small, oracle: try! SQLiteOracle(QueryFixtures.handWritten))
  static let large = DifferentialPair(
    database: QueryFixtures.large, oracle: try! SQLiteOracle(QueryFixtures.generated))

  /// Nil when Kolom and SQLite agree on `query`; else both results, for the failure message.
  func mismatch(_ query: String, parameters: [String: Value] = [:]) throws -> String? {
    let translation = try SQLiteTranslator(schema: QueryFixtures.schema, parameters: parameters).translate(query)
    let kolom = try database.query(query, parameters: parameters).canonicalRows
    let sqlite = try oracle.rows(translation.sql)
    let (a, b) = translation.ordered ? (kolom, sqlite) : (kolom.sorted(), sqlite.sorted())
    guard a != b else { return nil }
    let firstDifference = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
    func show(_ rows: [String]) -> String {
      rows.dropFirst(max(0, firstDifference - 2)).prefix(8).joined(separator: "\n    ")
    }
    return """
      Kolom and SQLite differ on
        \(query)
      SQLite: \(translation.sql)
      Kolom, \(a.count) rows, from row \(max(0, firstDifference - 2)):
          \(show(a))
      SQLite, \(b.count) rows:
          \(show(b))
      """
  }
}
