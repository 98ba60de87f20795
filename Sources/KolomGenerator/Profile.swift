// Profile: the distributions behind generated records (weights of municipalities,
// ages, codes; flag prevalences and their correlations), resolved against a schema.
// These are plausible shapes, not statistics of the real monitor (none are public).
import Foundation
import KolomStore

struct Profile: Sendable {
  // Schema column positions.
  let id, phase, recordDate, region, municipality, gender, birthYear, registrationDate: Int
  let requestType, referrer, urgency, supportStart, actions, bottleneck, closureDate, outcome: Int
  let idWidth: Int
  let flagSets: [FlagSetProfile]
  let actionPrevalence: [Double]

  let municipalityWeights: [Double]
  let regionOfMunicipality: [Int]
  let ages = Array(0...22)
  let ageWeights: [Double]
  let genderWeights: [Double]
  let referrerWeights: [Double]
  let urgencyWeights: [Double]
  let bottleneckWeights: [Double]
  let outcomeWeights: [Double]
  let phaseCodes: [Int]
  let requestCodes: [Int]

  init(schema: Schema) throws {
    func at(_ name: String) throws -> Int {
      _ = try schema.column(named: name)
      return schema.index(of: name)!
    }
    func codes(_ name: String) throws -> CodeList { try schema.column(named: name).type.codeList! }
    func weights(_ column: String, _ table: [String: Double]) throws -> [Double] {
      let list = try codes(column)
      for code in table.keys where list.number(of: code) == nil {
        throw StoreError.unknownCode(code, column: column, suggestion: list.nearest(to: code))
      }
      return cumulative(list.codes.map { table[$0.code] ?? 1 })
    }
    (id, phase, recordDate, region) = (try at("clientnummer"), try at("fase"), try at("datum"), try at("regio"))
    (municipality, gender, birthYear) = (try at("gemeente"), try at("geslacht"), try at("geboortejaar"))
    (registrationDate, requestType, referrer) = (try at("datum_aanmelding"), try at("soort_vraag"), try at("aanmelder"))
    (urgency, supportStart, actions) = (
      try at("urgentie"), try at("datum_start_ondersteuning"), try at("ret_activiteiten")
    )
    (bottleneck, closureDate, outcome) = (try at("hoofdknelpunt"), try at("datum_afsluiting"), try at("uitkomst"))
    guard case .id(let width) = schema.columns[id].type else {
      throw StoreError.unknownColumn("clientnummer", suggestion: nil)
    }
    idWidth = width

    let municipalities = try codes("gemeente")
    let regions = try codes("regio")
    regionOfMunicipality = try municipalities.codes.map { code in
      guard let r = code.attributes["jeugdregio"].flatMap(regions.number(of:)) else {
        throw StoreError.unknownCode(code.attributes["jeugdregio"] ?? "", column: "regio", suggestion: nil)
      }
      return r
    }
    municipalityWeights = cumulative(municipalities.codes.map { Profile.municipalityWeight($0.code) })
    ageWeights = cumulative(ages.map { $0 <= 3 ? 1 : $0 <= 11 ? 3 : $0 <= 17 ? 6 : 2 })
    genderWeights = try weights("geslacht", ["onbekend": 2, "mannelijk": 55, "vrouwelijk": 43])
    referrerWeights = try weights(
      "aanmelder",
      [
        "gemeentelijke_toegang": 40, "gecertificeerde_instelling": 15, "jeugdhulpaanbieder": 15, "ouder_jeugdige": 8,
        "huisarts_medisch": 5, "onderwijs": 5, "veilig_thuis_rvdk": 6, "expertisenetwerk": 3, "overig": 3,
      ])
    urgencyWeights = try weights("urgentie", ["regulier": 60, "hoog": 30, "crisis": 10])
    bottleneckWeights = try weights(
      "hoofdknelpunt",
      [
        "K01": 18, "K02": 8, "K03": 7, "K04": 6, "K05": 6, "K06": 7, "K07": 2, "K08": 6, "K09": 3, "K10": 15,
        "K11": 10, "K12": 4, "K13": 4, "K14": 2, "K15": 1, "K16": 1,
      ])
    outcomeWeights = try weights(
      "uitkomst",
      [
        "passend_gerealiseerd": 35, "deels_overbrugging": 12, "advies_gegeven": 20, "terug_naar_toegang": 10,
        "opgeschaald_expertisenetwerk": 6, "uitstroom_wlz_volwassenenzorg": 5, "afgebroken_door_client": 5,
        "verhuisd": 3, "overig": 4,
      ])
    let phases = try codes("fase")
    phaseCodes = ["aanmelding", "ondersteuning", "afsluiting"].map { phases.number(of: $0)! }
    let requests = try codes("soort_vraag")
    requestCodes = ["consultatie_advies", "procesregie"].map { requests.number(of: $0)! }
    let setNames = [
      "problematiek_jeugdige", "leefgebieden_jeugdige", "problematiek_ouders", "leefgebieden_ouders", "eerdere_hulp",
    ]
    var sets = try setNames.map { try FlagSetProfile(column: at($0), codes: codes($0)) }
    for rule in FlagSetProfile.rules {
      guard let target = setNames.firstIndex(of: rule.set), let source = setNames.firstIndex(of: rule.source),
        source <= target, let flag = try codes(rule.set).number(of: rule.flag),
        let sourceFlag = try codes(rule.source).number(of: rule.sourceFlag)
      else { throw StoreError.unknownCode(rule.flag, column: rule.set, suggestion: nil) }
      sets[target].links.append(.init(flag: flag, sourceSet: source, sourceFlag: sourceFlag, factor: rule.factor))
    }
    flagSets = sets
    actionPrevalence = FlagSetProfile.prevalences(count: try codes("ret_activiteiten").count)
  }

  /// Fills the indicator sets known at registration. A latent severity per case makes
  /// flags co-occur; a few named pairs are correlated more strongly.
  func drawIndicators(into record: inout [FieldValue?], age: Int, using rng: inout SeededRandom) {
    let severity = 0.3 + 1.4 * rng.unit()
    var drawn: [UInt64] = []
    for set in flagSets {
      var mask: UInt64 = 0
      for (i, p) in set.prevalence.enumerated() {
        var q = p * severity
        for link in set.links where link.flag == i {
          let source = link.sourceSet < drawn.count ? drawn[link.sourceSet] : mask
          if source >> UInt64(link.sourceFlag) & 1 == 1 { q *= link.factor }
        }
        if rng.chance(min(q, 0.95)) { mask |= 1 << UInt64(i) }
      }
      drawn.append(mask)
      record[set.column] = .flags(mask)
    }
  }

  /// Fills what the RET did and the main bottleneck (known from the support phase).
  func drawSupport(into record: inout [FieldValue?], using rng: inout SeededRandom) {
    var mask: UInt64 = 0
    for (i, p) in actionPrevalence.enumerated() where rng.chance(p) { mask |= 1 << UInt64(i) }
    record[actions] = .flags(mask)
    record[bottleneck] = .int(Int64(rng.pick(cumulative: bottleneckWeights)))
  }

  /// Large cities weigh most, the Wadden islands least, the rest spread log-normally.
  static func municipalityWeight(_ code: String) -> Double {
    let cities: [String: Double] = [
      "GM0363": 40, "GM0599": 32, "GM0518": 28, "GM0344": 18, "GM0772": 12, "GM0014": 12, "GM0855": 11,
      "GM0034": 11, "GM0758": 9, "GM0268": 9, "GM0153": 8, "GM0200": 8, "GM0202": 8, "GM0307": 8,
      "GM0392": 7, "GM0546": 6, "GM0935": 6,
    ]
    let islands: Set = ["GM0096", "GM0088", "GM0060", "GM0093", "GM0448"]
    if let w = cities[code] { return w }
    if islands.contains(code) { return 0.05 }
    var rng = SeededRandom(seed: 0x6E6D, stream: UInt64(code.dropFirst(2)) ?? 0)
    return min(6, exp(0.7 * rng.normal()))
  }
}

/// Prevalences of one indicator set, and the flags that raise them.
struct FlagSetProfile: Sendable {
  struct Link: Sendable {
    var flag: Int
    var sourceSet: Int
    var sourceFlag: Int
    var factor: Double
  }
  let column: Int
  let prevalence: [Double]
  var links: [Link] = []

  init(column: Int, codes: CodeList) {
    self.column = column
    prevalence = FlagSetProfile.prevalences(count: codes.count)
  }

  /// Co-occurrences analysts expect to find: (set, flag) is more likely when an
  /// earlier-drawn (set, flag) is present.
  static let rules: [(set: String, flag: String, source: String, sourceFlag: String, factor: Double)] = [
    ("problematiek_jeugdige", "adhd", "problematiek_jeugdige", "ass", 1.8),
    ("problematiek_jeugdige", "delinquent_gedrag", "problematiek_jeugdige", "middelengebruik", 2.5),
    ("leefgebieden_jeugdige", "geestelijke_gezondheid", "problematiek_jeugdige", "ggz_psychiatrisch", 2.0),
    ("leefgebieden_jeugdige", "justitie", "problematiek_jeugdige", "delinquent_gedrag", 3.0),
    ("problematiek_ouders", "lvb", "problematiek_jeugdige", "lvb", 3.0),
    ("leefgebieden_ouders", "financien", "problematiek_ouders", "opvoedingsonmacht", 1.5),
    ("leefgebieden_ouders", "middelengebruik", "problematiek_ouders", "verslaving", 4.0),
    ("eerdere_hulp", "jeugd_ggz", "problematiek_jeugdige", "ggz_psychiatrisch", 2.0),
  ]

  /// From 40% for the first flag down to 2% for the last, geometrically.
  static func prevalences(count: Int) -> [Double] {
    (0..<count).map { i in 0.40 * pow(0.05, count > 1 ? Double(i) / Double(count - 1) : 0) }
  }
}

func cumulative(_ weights: [Double]) -> [Double] {
  var sum = 0.0
  return weights.map {
    sum += $0
    return sum
  }
}
