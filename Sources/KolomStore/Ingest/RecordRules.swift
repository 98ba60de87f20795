// The checks of one record across its fields, shared by ingest and rectification:
// the record date neither after today nor in an expired year, the birth year not after
// it, and registration, support start and closure in order.
import Foundation

/// The cross-field rules of a schema's records.
public struct RecordRules: Sendable {
  let dateColumn: Int
  let birthYear: Int?
  let registration: Int?
  let closure: Int?
  let supportStart: Int?
  let todayDays: Int64
  let todayText: String
  let retention: Retention

  public init(schema: Schema, today: CivilDate, retention: Retention) {
    dateColumn = schema.index(of: schema.partitionColumn) ?? 0
    birthYear = schema.index(of: "geboortejaar")
    registration = schema.index(of: "datum_aanmelding")
    closure = schema.index(of: "datum_afsluiting")
    supportStart = schema.index(of: "datum_start_ondersteuning")
    todayDays = today.days
    todayText = today.description
    self.retention = retention
  }

  /// The problems of `values` (by schema column) as (column, message); `isExpired`
  /// tells whether the record date's year is expired now.
  public func check(_ values: [FieldValue?], expired isExpired: Bool) -> [(Int, String)] {
    check({ if case .int(let v)? = values[$0] { v } else { nil } }, expired: isExpired)
  }

  /// The same, with `value(c)` giving column c's integer (nil: null).
  func check(_ value: (Int) -> Int64?, expired isExpired: Bool) -> [(Int, String)] {
    var problems: [(Int, String)] = []
    func problem(_ c: Int, _ message: String) { problems.append((c, message)) }
    func days(_ c: Int?) -> Int64? { c.flatMap(value) }
    guard let date = days(dateColumn) else { return [] }
    let recordDate = CivilDate(days: date)
    if date > todayDays {
      problem(dateColumn, "\(recordDate) is after today (\(todayText), Europe/Amsterdam)")
    } else if isExpired {
      problem(
        dateColumn,
        "\(recordDate) is in \(recordDate.year), which expired at \(Instant.local(retention.expiry(ofYear: recordDate.year))) "
          + "under the \(retention.years)-year retention period")
    }
    if let c = birthYear, let year = days(c), year > Int64(recordDate.year) {
      problem(c, "\(year) is after the year of the record date (\(recordDate))")
    }
    if let r = registration, let registered = days(r) {
      if let c = closure, let closed = days(c), closed < registered {
        problem(c, "\(CivilDate(days: closed)) is before the registration (\(CivilDate(days: registered)))")
      }
      if let c = supportStart, let started = days(c), started < registered {
        problem(c, "\(CivilDate(days: started)) is before the registration (\(CivilDate(days: registered)))")
      }
      if registered > date {
        problem(r, "\(CivilDate(days: registered)) is after the record date (\(recordDate))")
      }
    }
    return problems
  }
}
