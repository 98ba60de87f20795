// Retention: year Y is expired from the first instant of 1 January Y + R in
// Europe/Amsterdam (R = 10 by default), whatever the host's time zone.
import Foundation

/// The store's retention rule.
public struct Retention: Sendable, Equatable {
  /// Years kept, R.
  public var years: Int
  /// The zone whose calendar the monitor lives in.
  public static let timeZone = TimeZone(identifier: "Europe/Amsterdam")!

  public init(years: Int) { self.years = years }

  private static var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar
  }

  /// The instant year `year` expires: 1 January `year + years`, 00:00 Europe/Amsterdam.
  public func expiry(ofYear year: Int) -> Date {
    Retention.calendar.date(from: DateComponents(year: year + years, month: 1, day: 1))!
  }

  /// Whether `year` is expired at `now`.
  public func isExpired(year: Int, at now: Date) -> Bool { now >= expiry(ofYear: year) }

  /// The oldest year still kept at `now`.
  public func oldestLiveYear(at now: Date) -> Int { Retention.today(at: now).year - years + 1 }

  /// The civil date at `now` in Europe/Amsterdam.
  public static func today(at now: Date) -> CivilDate {
    let parts = calendar.dateComponents([.year, .month, .day], from: now)
    return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)
  }
}

/// ISO 8601 instants for the manifest, the CLI's `--now` and messages.
public enum Instant {
  /// Parses `2026-12-31T23:00:00Z` or with an offset (`+01:00`), with or without fractions.
  public static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }

  /// `2026-12-31T23:00:00Z`.
  public static func format(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }

  /// The instant in Europe/Amsterdam local time, for people: `2027-01-01 00:00 (Europe/Amsterdam)`.
  public static func local(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.timeZone = Retention.timeZone
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date) + " (Europe/Amsterdam)"
  }
}
