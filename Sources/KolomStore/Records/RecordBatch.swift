// RecordBatch: records of one schema held column-wise, in the physical columns a
// segment stores, with the sort order and the year split that segments use.
import KolomFormat

/// Records held column by column in the schema's physical columns.
public struct RecordBatch: Sendable {
  public let schema: Schema
  /// One entry per physical column (`schema.physical.columns`).
  public var columns: [ColumnData]

  public init(schema: Schema, columns: [ColumnData]) {
    precondition(columns.count == schema.physical.columns.count, "\(columns.count) columns for \(schema.name)")
    precondition(columns.allSatisfy { $0.count == columns.first?.count ?? 0 }, "columns of unequal length")
    self.schema = schema
    self.columns = columns
  }

  /// The number of records.
  public var count: Int { columns.first?.count ?? 0 }

  /// The records in `order` (indices into this batch).
  /// - Complexity: O(order.count × columns).
  public func permuted(_ order: [Int]) -> RecordBatch {
    RecordBatch(schema: schema, columns: columns.map { $0.permuted(order) })
  }

  /// Record indices in segment order, of all records or of those at `rows`: by region
  /// and municipality, then by the case's indicator pattern, then pseudonym, date and phase.
  ///
  /// Region first makes region filters prune row groups. Within a region, cases with
  /// the same indicators lie together, so flag columns become long runs that LZ4
  /// stores in a few bytes (sorted bitmaps compress far better than random ones).
  /// A case's records share all of these keys, so they stay side by side and RUNS
  /// stores a repeated pseudonym once.
  /// - Complexity: O(m log m) for m rows.
  public func segmentOrder(of rows: [Int]? = nil) -> [Int] {
    let rows = rows ?? Array(0..<count)
    guard let region = integers("regio"), let municipality = integers("gemeente"),
      case .bytes(let ids, let width)? = physicalValues("clientnummer")
    else { return rows }
    let date = integers("datum")
    let phase = integers("fase")
    var keys = rows.map { row in
      var key = SortKey(row: row)
      key.place = UInt64(region[row]) << 32 | UInt64(municipality[row])
      for i in 0..<min(8, width) { key.id = key.id << 8 | UInt64(ids[row * width + i]) }
      if let date, let phase { key.rest = date[row] << 8 | phase[row] }
      return key
    }
    // Most informative flags first: their runs save the most.
    for (i, bits) in patternColumns().prefix(128).enumerated() {
      let shift = UInt64(63 - i % 64)
      bits.words.withUnsafeBufferPointer { words in
        for k in keys.indices {
          let row = keys[k].row
          let bit = words[row >> 6] >> UInt64(row & 63) & 1
          if i < 64 { keys[k].pattern.0 |= bit << shift } else { keys[k].pattern.1 |= bit << shift }
        }
      }
    }
    keys.sort { a, b in
      if a.place != b.place { return a.place < b.place }
      if a.pattern != b.pattern { return a.pattern < b.pattern }
      if a.id != b.id { return a.id < b.id }
      return (a.rest, a.row) < (b.rest, b.row)
    }
    return keys.map(\.row)
  }

  /// The records at `rows` (all when nil), in segment order.
  /// - Complexity: O(m log m + m × columns) for m rows.
  public func inSegmentOrder(rows: [Int]? = nil) -> RecordBatch {
    permuted(segmentOrder(of: rows))
  }

  /// The flags of the sets filled at the first moment (so equal on every record of a
  /// case), the most evenly split first.
  private func patternColumns() -> [Bitmap] {
    let firstPhase = schema.columns.first?.phase
    var candidates: [Bitmap] = []
    for (column, layout) in zip(schema.columns, schema.physical.layouts) where column.phase == firstPhase {
      guard case .flags(let first, let count, nil) = layout else { continue }
      for p in first..<(first + count) {
        if case .booleans(let bits) = columns[p].values { candidates.append(bits) }
      }
    }
    func evenness(_ bits: Bitmap) -> Int { abs(2 * bits.trueCount - bits.count) }
    return candidates.sorted { evenness($0) < evenness($1) }
  }

  /// The records split by the year of the partition column, in ascending year.
  /// - Complexity: O(n × columns).
  public func splitByYear() -> [(year: Int, records: RecordBatch)] {
    rowsByYear().map { ($0.year, permuted($0.rows)) }
  }

  /// The indices of the records of each year of the partition column, in ascending year.
  /// - Complexity: O(n).
  public func rowsByYear() -> [(year: Int, rows: [Int])] {
    guard let dates = integers(schema.partitionColumn) else { return [] }
    var rowsByYear: [Int: [Int]] = [:]
    for (row, day) in dates.enumerated() { rowsByYear[CivilDate.year(ofDays: day), default: []].append(row) }
    return rowsByYear.keys.sorted().map { ($0, rowsByYear[$0]!) }
  }

  /// The values of the single physical column of schema column `name`.
  public func physicalValues(_ name: String) -> ColumnValues? {
    guard let i = schema.index(of: name), case .single(let p) = schema.physical.layouts[i] else { return nil }
    return columns[p].values
  }

  private func integers(_ name: String) -> [Int64]? {
    if case .integers(let v)? = physicalValues(name) { return v }
    return nil
  }
}

private struct SortKey {
  var row: Int
  var place: UInt64 = 0
  var pattern: (UInt64, UInt64) = (0, 0)
  var id: UInt64 = 0
  var rest: Int64 = 0
}

extension ColumnData {
  /// The rows at `order`, in that order.
  /// - Complexity: O(order.count).
  public func permuted(_ order: [Int]) -> ColumnData {
    let validity = self.validity?.gathering(order)
    switch values {
    case .integers(let v):
      return ColumnData(.integers(order.map { v[$0] }), validity: validity)
    case .booleans(let b):
      return ColumnData(.booleans(b.gathering(order)), validity: validity)
    case .bytes(let b, let width):
      let out = [UInt8](unsafeUninitializedCapacity: order.count * width) { out, initialized in
        let target = UnsafeMutableRawBufferPointer(out)
        b.withUnsafeBytes { source in
          for (i, row) in order.enumerated() {
            precondition(row >= 0 && (row + 1) * width <= source.count, "row \(row) of \(source.count / width)")
            UnsafeMutableRawBufferPointer(rebasing: target[(i * width)..<(i * width + width)])
              .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(row * width)..<(row * width + width)]))
          }
        }
        initialized = order.count * width
      }
      return ColumnData(.bytes(out, width: width), validity: validity)
    }
  }
}
