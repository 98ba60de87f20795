// Kernels on flag sets and dates: HAS as OR / AND of bit columns, cardinality as a
// sum of bits, and year / quarter / month of day numbers.
import KolomFormat
import KolomStore

enum Flags {
  /// `set HAS ANY (flags)` (all: false) or `HAS ALL`; NULL where a nullable set is absent.
  static func has(_ set: FlagSet, _ flags: [Int], all: Bool, _ batch: some Batch) throws -> Vector {
    var result: Bitmap? = nil
    for flag in flags {
      let bits = try batch.column(set.first + flag).truthsIgnoringNull()
      result = result.map { all ? $0.and(bits) : $0.or(bits) } ?? bits
    }
    return .bools(result ?? Bitmap(count: batch.count), valid: try presence(set, batch))
  }

  /// The number of flags set per row; NULL where a nullable set is absent.
  static func cardinality(_ set: FlagSet, _ batch: some Batch) throws -> Vector {
    var counts = [Int64](repeating: 0, count: batch.count)
    for flag in set.codes.indices {
      try batch.column(set.first + flag).truthsIgnoringNull().forEachSetBit { counts[$0] &+= 1 }
    }
    return .ints(counts, valid: try presence(set, batch))
  }

  /// Where a nullable set is present (nil: everywhere).
  static func presence(_ set: FlagSet, _ batch: some Batch) throws -> Bitmap? {
    guard let p = set.presence else { return nil }
    let bits = try batch.column(p).truthsIgnoringNull()
    return bits.trueCount == bits.count ? nil : bits
  }
}

enum Dates {
  /// The year, quarter or month of each day number.
  static func part(_ part: DatePart, _ v: Vector) -> Vector {
    if case .constant(let s, let n) = v {
      guard case .int(let days) = s else { return v }
      return .constant(.int(value(part, CivilDate(days: days))), count: n)
    }
    let days = v.integers()
    var out = [Int64](repeating: 0, count: days.count)
    // Dates of a row group span few days: remember the last conversion.
    var lastDay = Int64.min
    var lastValue: Int64 = 0
    for i in 0..<days.count {
      if days[i] != lastDay {
        lastDay = days[i]
        lastValue = value(part, CivilDate(days: lastDay))
      }
      out[i] = lastValue
    }
    return .ints(out, valid: v.validity)
  }

  private static func value(_ part: DatePart, _ date: CivilDate) -> Int64 {
    switch part {
    case .year: Int64(date.year)
    case .quarter: Int64((date.month - 1) / 3 + 1)
    case .month: Int64(date.month)
    }
  }
}
