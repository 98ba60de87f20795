// RandomQueries: random queries of the language over the ret-monitor schema, for the
// differential tests: random filters (codes, dates, years, HAS, IN, BETWEEN, NULL
// tests, arithmetic, AND/OR/NOT), group keys (codes, date parts, CASE, EACH, ROLLUP),
// aggregates with FILTER, HAVING, and total orders with LIMIT and LIMIT BY.
import Kolom

/// A seeded source of random queries.
struct RandomQueries: RandomNumberGenerator {
  private var state: UInt64
  private let codes: [String: [String]]
  private let categories = [
    "regio", "gemeente", "geslacht", "fase", "soort_vraag", "aanmelder", "urgentie", "hoofdknelpunt", "uitkomst",
  ]
  private let flagSets = [
    "problematiek_jeugdige", "leefgebieden_jeugdige", "problematiek_ouders", "leefgebieden_ouders", "eerdere_hulp",
    "ret_activiteiten",
  ]
  private let dates = ["datum", "datum_aanmelding", "datum_start_ondersteuning", "datum_afsluiting"]
  private let nullable = [
    "hoofdknelpunt", "uitkomst", "datum_start_ondersteuning", "datum_afsluiting", "ret_activiteiten",
  ]

  init(seed: UInt64, schema: Schema) {
    state = seed
    var codes: [String: [String]] = [:]
    for column in schema.columns { if let list = column.type.codeList { codes[column.name] = list.codes.map(\.code) } }
    self.codes = codes
  }

  /// SplitMix64.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }

  private mutating func pick<T>(_ options: [T]) -> T { options[int(0...options.count - 1)] }

  private mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

  private mutating func code(_ column: String) -> String { "'\(pick(codes[column]!))'" }

  private mutating func date() -> String {
    "DATE '\(int(2017...2026))-\(String(format: "%02d", int(1...12)))-\(String(format: "%02d", int(1...28)))'"
  }

  private mutating func comparison() -> String { pick(["=", "<>", "<", "<=", ">", ">="]) }

  // MARK: Filters

  mutating func atom() -> String {
    switch int(0...15) {
    case 0:
      let c = pick(categories)
      return "\(c) \(pick(["=", "<>"])) \(code(c))"
    case 1:
      let c = pick(categories)
      return "\(c) \(chance(30) ? "NOT " : "")IN (\(code(c)), \(code(c)), \(code(c)))"
    case 2: return "year(datum) \(comparison()) \(int(2017...2026))"
    case 3: return "\(pick(dates)) \(chance(20) ? "NOT " : "")BETWEEN \(date()) AND \(date())"
    case 4: return "geboortejaar \(comparison()) \(int(2000...2018))"
    case 5:
      let s = pick(flagSets)
      return "\(s) HAS \(code(s))"
    case 6:
      let s = pick(flagSets)
      return "\(s) HAS \(pick(["ANY", "ALL"])) (\(code(s)), \(code(s)))"
    case 7: return "\(pick(nullable)) IS \(chance(50) ? "NOT " : "")NULL"
    case 8: return "days_between(datum_aanmelding, \(pick(dates))) \(comparison()) \(int(0...400))"
    case 9: return "cardinality(\(pick(flagSets))) \(comparison()) \(int(0...3))"
    case 10:
      return chance(50) ? "quarter(datum) = \(int(1...4))" : "month(datum_aanmelding) \(comparison()) \(int(1...12))"
    case 11: return "age_at(geboortejaar, datum) BETWEEN \(int(0...12)) AND \(int(10...23))"
    case 12: return "coalesce(datum_afsluiting, datum_start_ondersteuning, datum) >= \(date())"
    case 13:
      let c = pick(["regio", "uitkomst", "aanmelder"])
      return "\(c) \(pick(["<", ">="])) \(code(c))"
    case 14:
      return "(geboortejaar % \(int(2...7)) = \(int(0...1)) OR geboortejaar / \(int(2...5)) > \(int(400...1000)))"
    default: return "(geboortejaar - 2000) * \(int(1...3)) + \(int(0...5)) \(comparison()) \(int(5...40))"
    }
  }

  mutating func predicate(depth: Int = 2) -> String {
    guard depth > 0, chance(60) else { return atom() }
    switch int(0...2) {
    case 0: return "(\(predicate(depth: depth - 1)) AND \(predicate(depth: depth - 1)))"
    case 1: return "(\(predicate(depth: depth - 1)) OR \(predicate(depth: depth - 1)))"
    default: return "NOT (\(predicate(depth: depth - 1)))"
    }
  }

  // MARK: Keys and aggregates

  mutating func key() -> String {
    switch int(0...7) {
    case 0, 1: return pick(categories)
    case 2: return "year(\(pick(dates)))"
    case 3: return chance(50) ? "quarter(datum)" : "month(datum_aanmelding)"
    case 4: return "geboortejaar"
    case 5: return "age_at(geboortejaar, datum)"
    case 6:
      return
        "CASE WHEN geboortejaar < \(int(2004...2010)) THEN 'ouder' WHEN geboortejaar < \(int(2011...2015)) THEN 'midden' ELSE 'jong' END"
    default: return "cardinality(\(pick(flagSets)))"
    }
  }

  mutating func aggregate() -> String {
    let plain: String
    switch int(0...15) {
    case 0, 1: plain = "count(*)"
    case 2: plain = "count(\(pick(nullable.filter { $0 != "ret_activiteiten" })))"
    case 3: plain = "count(DISTINCT clientnummer)"
    case 4: plain = "count(DISTINCT \(pick(categories)))"
    case 5: plain = "sum(geboortejaar)"
    case 6: plain = "avg(\(pick(["geboortejaar", "age_at(geboortejaar, datum)", "cardinality(eerdere_hulp)"])))"
    case 7: plain = "\(pick(["min", "max"]))(\(pick(dates)))"
    case 8: plain = "\(pick(["min", "max"]))(\(pick(categories)))"
    case 9: plain = "median(days_between(datum_aanmelding, \(pick(dates))))"
    case 10:
      plain = "quantile_cont(days_between(datum_aanmelding, datum_afsluiting), \(pick(["0.1", "0.25", "0.9", "1"])))"
    case 11: plain = "quantile_disc(geboortejaar, \(pick(["0", "0.25", "0.5", "0.75", "0.99"])))"
    case 12: plain = "quantile_disc(\(pick(dates)), \(pick(["0.3", "0.5"])))"
    case 13: plain = "sum(cardinality(\(pick(flagSets))))"
    case 14: plain = "max(geboortejaar) - min(geboortejaar)"
    default: plain = "count(DISTINCT year(datum))"
    }
    guard chance(25), !plain.contains(" - ") else { return plain }
    return "\(plain) FILTER (WHERE \(atom()))"
  }

  // MARK: Queries

  /// A random query.
  mutating func query() -> String {
    if chance(10) { return rowQuery() }
    var keys = (0..<int(0...2)).map { _ in key() }
    var outputs = keys
    if chance(35) {
      let each = "EACH(\(pick(flagSets))\(chance(30) ? " KEEP EMPTY" : ""))"
      keys.append(each)
      outputs.append(each)
    }
    let aggregates = (0..<int(1...3)).map { _ in aggregate() }
    outputs += aggregates
    var text = "SELECT " + outputs.enumerated().map { "\($1) AS o\($0 + 1)" }.joined(separator: ", ") + " FROM cases"
    if chance(80) { text += " WHERE \(predicate())" }
    let rollup = !keys.isEmpty && chance(25)
    if !keys.isEmpty {
      if rollup {
        text += " GROUP BY ROLLUP (\(keys.indices.map { "o\($0 + 1)" }.joined(separator: ", ")))"
      } else {
        text +=
          chance(50) ? " GROUP BY ALL" : " GROUP BY \(keys.indices.map { String($0 + 1) }.joined(separator: ", "))"
      }
    }
    if chance(20) { text += " HAVING count(*) > \(int(0...20))" }
    if chance(40) {
      // A total order (every output), so that LIMIT cuts the same rows in both engines.
      let order = outputs.indices.shuffled(using: &self).map {
        "o\($0 + 1)\(chance(50) ? " DESC" : "")\(chance(20) ? " NULLS FIRST" : "")"
      }
      text += " ORDER BY \(order.joined(separator: ", "))"
      if chance(60) {
        text += " LIMIT \(int(1...20))"
        if !keys.isEmpty && !rollup && chance(30) { text += " BY o1" }
      }
    }
    return text
  }

  private mutating func rowQuery() -> String {
    var columns = ["clientnummer", "fase", "datum"]
    if chance(50) { columns.append(pick(categories)) }
    if chance(50) { columns.append(pick(flagSets)) }
    if chance(30) { columns.append("days_between(datum_aanmelding, \(pick(dates)))") }
    var text = "SELECT \(columns.joined(separator: ", ")) FROM cases WHERE \(atom()) AND \(atom())"
    if chance(50) { text += " ORDER BY clientnummer DESC, datum, fase LIMIT \(int(1...50))" }
    return text
  }
}
