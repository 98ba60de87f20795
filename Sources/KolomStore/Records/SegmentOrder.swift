// Records into segments, the same whether they come as columns (RecordBatch) or as rows
// (RecordRows): split by the year of their record date, then sorted in segment order.
import KolomFormat

/// One record's place in segment order.
struct SegmentKey: Comparable {
  /// Region code << 32 | municipality code.
  var place: UInt64 = 0
  /// The pattern flags, the first in the highest bit of `patternHigh`.
  var patternHigh: UInt64 = 0
  var patternLow: UInt64 = 0
  /// The pseudonym's first 8 bytes, big-endian.
  var id: UInt64 = 0
  /// Days << 8 | phase code.
  var rest: Int64 = 0
  var row: Int

  init(row: Int) { self.row = row }

  static func < (a: SegmentKey, b: SegmentKey) -> Bool {
    if a.place != b.place { return a.place < b.place }
    if a.patternHigh != b.patternHigh { return a.patternHigh < b.patternHigh }
    if a.patternLow != b.patternLow { return a.patternLow < b.patternLow }
    if a.id != b.id { return a.id < b.id }
    if a.rest != b.rest { return a.rest < b.rest }
    return a.row < b.row
  }

  /// Sets pattern bit `index` (0 is the most significant) to `bit` (0 or 1).
  @inline(__always)
  mutating func setPattern(_ index: Int, _ bit: UInt64) {
    if index < 64 { patternHigh |= bit << UInt64(63 - index) } else { patternLow |= bit << UInt64(127 - index) }
  }
}

/// The schema columns that make a segment key, and the flags of its pattern.
///
/// Records sort by region and municipality, then by the case's indicator pattern, then
/// pseudonym, date and phase. Region first makes region filters prune row groups. Within
/// a region, cases with the same indicators lie together, so flag columns become long
/// runs that LZ4 stores in a few bytes (sorted bitmaps compress far better than random
/// ones). A case's records share all of these keys, so they stay side by side and RUNS
/// stores a repeated pseudonym once.
struct SegmentOrder {
  /// Schema columns of the region, municipality, identifier, record date and phase.
  let region: Int
  let municipality: Int
  let id: Int
  let date: Int?
  let phase: Int?
  /// The pattern's flags in order, as (schema column, flag number): the flags of the
  /// sets filled at the first moment (so equal on every record of a case), the most
  /// evenly split first (their runs save the most), at most 128.
  let patternFlags: [(column: Int, flag: Int)]
  /// The pattern read a byte of a flag mask at a time: for each byte of a mask that
  /// holds pattern flags, its schema column and shift, and the 256 patterns its values
  /// make (high and low word at 2v and 2v + 1 of `patternTables`, 512 words per byte).
  private let patternBytes: [(column: Int, shift: Int)]
  private let patternTables: [UInt64]

  /// The order of `schema`'s records, of which `count` hold `trueCount(column, flag)`
  /// of each flag; nil when the schema lacks a column of the key (records keep their order).
  init?(schema: Schema, count: Int, trueCount: (Int, Int) -> Int) {
    guard let region = schema.index(of: "regio"), let municipality = schema.index(of: "gemeente"),
      let id = schema.columns.firstIndex(where: { if case .id = $0.type { true } else { false } })
    else { return nil }
    (self.region, self.municipality, self.id) = (region, municipality, id)
    date = schema.index(of: "datum")
    phase = schema.index(of: "fase")
    let firstPhase = schema.columns.first?.phase
    var candidates: [(column: Int, flag: Int, evenness: Int)] = []
    for (c, (column, layout)) in zip(schema.columns, schema.physical.layouts).enumerated()
    where column.phase == firstPhase {
      guard case .flags(_, let flags, nil) = layout else { continue }
      for f in 0..<flags { candidates.append((c, f, abs(2 * trueCount(c, f) - count))) }
    }
    patternFlags = candidates.sorted { $0.evenness < $1.evenness }.prefix(128).map { ($0.column, $0.flag) }
    var bytes: [(column: Int, shift: Int)] = []
    var tables: [UInt64] = []
    for (i, (c, f)) in patternFlags.enumerated() {
      let byte = (column: c, shift: f & ~7)
      var t = bytes.firstIndex { $0 == byte } ?? bytes.count
      if t == bytes.count {
        bytes.append(byte)
        tables += repeatElement(0, count: 512)
      }
      t *= 512
      var bit = SegmentKey(row: 0)
      bit.setPattern(i, 1)
      for value in 0..<256 where value >> (f & 7) & 1 == 1 {
        tables[t + 2 * value] |= bit.patternHigh
        tables[t + 2 * value + 1] |= bit.patternLow
      }
    }
    (patternBytes, patternTables) = (bytes, tables)
  }

  /// The keys of `records`, whose row numbers are their indices.
  /// - Complexity: O(count × (1 + pattern bytes)).
  func keys(of records: RawColumns) -> [SegmentKey] {
    let n = records.count
    let idWidth = records.idWidth
    let idBytes = min(8, idWidth)
    let columns = patternBytes.map { $0.column * n }
    let shifts = patternBytes.map { UInt64($0.shift) }
    return records.values.withUnsafeBufferPointer { values in
      records.ids.withUnsafeBufferPointer { ids in
        patternTables.withUnsafeBufferPointer { tables in
          (0..<n).map { row in
            var key = SegmentKey(row: row)
            key.place = UInt64(values[region * n + row]) << 32 | UInt64(values[municipality * n + row])
            for i in 0..<idBytes { key.id = key.id << 8 | UInt64(ids[row * idWidth + i]) }
            if let date, let phase { key.rest = values[date * n + row] << 8 | values[phase * n + row] }
            for t in columns.indices {
              let value = Int(truncatingIfNeeded: UInt64(bitPattern: values[columns[t] + row]) >> shifts[t] & 0xFF)
              key.patternHigh |= tables[512 * t + 2 * value]
              key.patternLow |= tables[512 * t + 2 * value + 1]
            }
            return key
          }
        }
      }
    }
  }

  /// The rows of `keys` in segment order.
  /// - Complexity: O(m log m) for m keys.
  static func sorted(_ keys: [SegmentKey]) -> [Int] {
    var keys = keys
    keys.sort()
    return keys.map(\.row)
  }
}

/// The indices of `dates` (days since 1970-01-01) grouped by year, in ascending year.
/// - Complexity: O(n + years spanned), in two halves on both cores.
func rowsByYear(dates: [Int64]) -> [(year: Int, rows: [Int])] {
  let halves = dates.count >= 1 << 16 ? 2 : 1
  let size = (dates.count + halves - 1) / max(halves, 1)
  let parts = parallelMap(0..<halves) { h in rowsByYear(dates, in: (h * size)..<min(dates.count, (h + 1) * size)) }
  var merged = parts.first ?? []
  for part in parts.dropFirst() {
    for (year, rows) in part {
      if let i = merged.firstIndex(where: { $0.year == year }) {
        merged[i].rows += rows
      } else {
        merged.append((year, rows))
      }
    }
  }
  return merged.sorted { $0.year < $1.year }
}

/// The indices in `range` of `dates` grouped by year, in ascending year.
private func rowsByYear(_ dates: [Int64], in range: Range<Int>) -> [(year: Int, rows: [Int])] {
  guard let low = dates[range].min(), let high = dates[range].max() else { return [] }
  let first = CivilDate.year(ofDays: low)
  // The day each year spanned starts, and one past the last: a record's year is found
  // from an estimate by a comparison or two, without the calendar's divisions.
  let starts = (first...(CivilDate.year(ofDays: high) + 1)).map { CivilDate(year: $0, month: 1, day: 1).days }
  var groups = [[Int]](repeating: [], count: starts.count - 1)
  for row in range {
    let day = dates[row]
    var y = min(Int((day - starts[0]) * 400 / 146_097), groups.count - 1)
    while day < starts[y] { y -= 1 }
    while day >= starts[y + 1] { y += 1 }
    groups[y].append(row)
  }
  return groups.enumerated().filter { !$0.element.isEmpty }.map { (first + $0.offset, $0.element) }
}
