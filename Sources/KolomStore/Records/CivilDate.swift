// Calendar dates as days since 1970-01-01 (the on-disk form of a date column),
// converted with the proleptic Gregorian algorithms of H. Hinnant ("chrono-compatible
// low-level date algorithms"): exact, and independent of the host time zone.

/// A calendar date.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// The date `days` days after 1970-01-01.
  public init(days: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    day = Int(doy - (153 * mp + 2) / 5 + 1)
    month = Int(mp < 10 ? mp + 3 : mp - 9)
    year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
  }

  /// Days since 1970-01-01.
  public var days: Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// Parses `YYYY-MM-DD`; nil when malformed or not a real date (2025-02-30).
  public init?(iso text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
    else { return nil }
    self.init(year: y, month: m, day: d)
    guard CivilDate(days: days) == self else { return nil }
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    func pad(_ v: Int, _ n: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool { a.days < b.days }

  /// The year of the date `days` days after 1970-01-01.
  public static func year(ofDays days: Int64) -> Int { CivilDate(days: days).year }
}
