// CaseGenerator: realistic synthetic case records of the ret-monitor schema.
// Never real data: every value comes from the seeded random source.
import Foundation
import KolomStore

/// What to generate.
public struct GeneratorOptions: Sendable {
  /// Same seed, same records.
  public var seed: UInt64
  /// The reference date ("today" in Europe/Amsterdam): no record is dated after it.
  public var today: CivilDate
  /// Years the store keeps; registrations are spread over the years kept at `today`.
  public var retentionYears: Int

  public init(seed: UInt64 = 1, today: CivilDate, retentionYears: Int = 10) {
    precondition(retentionYears >= 1, "retention of \(retentionYears) years")
    self.seed = seed
    self.today = today
    self.retentionYears = retentionYears
  }
}

/// Generates cases of about three records each (aanmelding, ondersteuning, afsluiting),
/// each record carrying the values known at its moment.
public struct CaseGenerator: Sendable {
  public let schema: Schema
  public let options: GeneratorOptions
  private let profile: Profile

  public init(schema: Schema, options: GeneratorOptions) throws {
    self.schema = schema
    self.options = options
    profile = try Profile(schema: schema)
  }

  /// Exactly `count` records, delivered in batches of at most `batchSize` records in
  /// case order. The records depend only on the seed, never on the batch size.
  /// - Complexity: O(count).
  public func generate(count: Int, batchSize: Int = 1 << 20, _ deliver: (RecordBatch) throws -> Void) rethrows {
    var builder = RecordBatchBuilder(schema: schema, capacity: min(count, batchSize))
    var produced = 0
    var caseIndex: UInt64 = 0
    while produced < count {
      var rng = SeededRandom(seed: options.seed, stream: caseIndex)
      for record in makeCase(&rng).prefix(count - produced) {
        builder.append(record)
        produced += 1
        if builder.count == batchSize {
          try deliver(builder.build())
          builder = RecordBatchBuilder(schema: schema, capacity: min(count - produced, batchSize))
        }
      }
      caseIndex += 1
    }
    if builder.count > 0 { try deliver(builder.build()) }
  }

  /// All `count` records in one batch.
  public func generate(count: Int) -> RecordBatch {
    var result: RecordBatch? = nil
    generate(count: count, batchSize: max(count, 1)) { result = $0 }
    return result ?? RecordBatchBuilder(schema: schema).build()
  }

  /// The synthetic clear client number of a generated record, derived from its
  /// (random) identifier bytes and its region: `JZ13-004512345678`. Never a real number.
  public func clientNumber(of record: [FieldValue?]) -> String {
    guard case .bytes(let id)? = record[profile.id], case .int(let region)? = record[profile.region],
      case .category(let regions) = schema.columns[profile.region].type
    else { return "" }
    let number = id.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 1_000_000_000_000
    let digits = String(number)
    return regions[Int(region)].code + "-" + String(repeating: "0", count: 12 - digits.count) + digits
  }

  /// The records of one case: aanmelding always, then ondersteuning and afsluiting
  /// when their dates have come.
  func makeCase(_ rng: inout SeededRandom) -> [[FieldValue?]] {
    let p = profile
    let first = CivilDate(year: options.today.year - options.retentionYears + 1, month: 1, day: 1).days
    let today = options.today.days
    let registered = first + Int64(rng.unit() * Double(today - first + 1))
    var record = [FieldValue?](repeating: nil, count: schema.columns.count)
    var id = [UInt8](repeating: 0, count: p.idWidth)
    for i in 0..<p.idWidth { id[i] = UInt8(truncatingIfNeeded: rng.next()) }
    let municipality = rng.pick(cumulative: p.municipalityWeights)
    let age = p.ages[rng.pick(cumulative: p.ageWeights)]
    let procesregie = rng.chance(0.65)
    record[p.id] = .bytes(id)
    record[p.municipality] = .int(Int64(municipality))
    record[p.region] = .int(Int64(p.regionOfMunicipality[municipality]))
    record[p.gender] = .int(Int64(rng.pick(cumulative: p.genderWeights)))
    record[p.birthYear] = .int(Int64(CivilDate(days: registered).year - age))
    record[p.registrationDate] = .int(registered)
    record[p.requestType] = .int(Int64(p.requestCodes[procesregie ? 1 : 0]))
    record[p.referrer] = .int(Int64(rng.pick(cumulative: p.referrerWeights)))
    record[p.urgency] = .int(Int64(rng.pick(cumulative: p.urgencyWeights)))
    p.drawIndicators(into: &record, age: age, using: &rng)

    var records: [[FieldValue?]] = []
    func emit(_ phase: Int, on day: Int64) {
      record[p.phase] = .int(Int64(p.phaseCodes[phase]))
      record[p.recordDate] = .int(day)
      records.append(record)
    }
    emit(0, on: registered)
    let supportStart = registered + Int64(3 + rng.unit() * 25)
    let duration = Int64(exp(log(procesregie ? 120.0 : 25.0) + 0.6 * rng.normal()).rounded())
    let closed = max(supportStart + 1, registered + max(duration, 7))
    let hasSupport = rng.chance(0.9)
    if supportStart <= today {
      if hasSupport { record[p.supportStart] = .int(supportStart) }
      p.drawSupport(into: &record, using: &rng)
      if hasSupport { emit(1, on: supportStart) }
    }
    if closed <= today {
      record[p.closureDate] = .int(closed)
      record[p.outcome] = .int(Int64(rng.pick(cumulative: p.outcomeWeights)))
      emit(2, on: closed)
    }
    return records
  }
}
