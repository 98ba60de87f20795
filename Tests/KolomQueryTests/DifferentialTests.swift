// Differential testing against SQLite: random queries (filters, keys, EACH, HAS,
// ROLLUP, aggregates with FILTER, HAVING, LIMIT BY) give the same rows in Kolom and
// in SQLite over the same 20,000 generated records. KOLOM_QUERY_SEED picks other
// queries; a mismatch prints the query, its SQLite form and both results.
import Foundation
import Kolom
import Testing

@Suite struct DifferentialTests {
  static let seed = ProcessInfo.processInfo.environment["KOLOM_QUERY_SEED"].flatMap { UInt64($0) } ?? 20_261_204
  static let count = 1_000

  @Test func randomQueriesGiveTheSameRowsAsSQLite() throws {
    var random = RandomQueries(seed: Self.seed, schema: QueryFixtures.schema)
    var failures = 0
    for i in 0..<Self.count {
      let query = random.query()
      do {
        if let mismatch = try DifferentialPair.large.mismatch(query) {
          failures += 1
          Issue.record("query \(i) of seed \(Self.seed): \(mismatch)")
        }
      } catch let error as QueryError {
        failures += 1
        Issue.record("query \(i) of seed \(Self.seed): \(error.rendered(in: query))")
      }
      if failures >= 10 { break }
    }
  }
}
