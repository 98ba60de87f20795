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

  /// The paths that only large inputs take: a distinct count whose case numbers outgrow
  /// a group's first list (4,096) and are deduplicated on the way; quantiles of more
  /// than 256 values, sorted by counting; count(*) by one key, counted by histogram,
  /// with and without a filter and with NULL keys.
  @Test(arguments: [
    "SELECT count(DISTINCT clientnummer), count(*) FROM cases",
    "SELECT fase, count(DISTINCT clientnummer) FROM cases GROUP BY fase",
    "SELECT EACH(problematiek_jeugdige) AS p, count(DISTINCT clientnummer) FROM cases GROUP BY ROLLUP(p)",
    "SELECT median(geboortejaar), quantile_cont(geboortejaar, 0.9), quantile_disc(days_between(datum_aanmelding, datum), 0.25) FROM cases",
    "SELECT regio, median(days_between(datum_aanmelding, datum_afsluiting)) AS m, quantile_cont(days_between(datum_aanmelding, datum_afsluiting), 0.9) AS p90 FROM cases GROUP BY regio",
    "SELECT regio, count(*) FROM cases GROUP BY regio",
    "SELECT hoofdknelpunt, count(*) FROM cases WHERE urgentie <> 'regulier' GROUP BY hoofdknelpunt",
    "SELECT uitkomst, count(*) FROM cases GROUP BY uitkomst",
  ])
  func largeInputsGiveTheSameRowsAsSQLite(query: String) throws {
    #expect(try DifferentialPair.large.mismatch(query) == nil)
  }
}
