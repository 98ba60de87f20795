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

  /// Record indices in segment order: by region and municipality, then by the
  /// case's indicator pattern, then pseudonym, date and phase.
  ///
  /// Region first makes region filters prune row groups. Within a region, cases with
  /// the same indicators lie together, so flag columns become long runs that LZ4
  /// stores in a few bytes (sorted bitmaps compress far better than random ones).
  /// A case's records share all of these keys, so they stay side by side and LZ4
  /// stores a repeated pseudonym as one short match.
  /// - Complexity: O(n log n).
  public func segmentOrder() -> [Int] {
    guard let region = integers("regio"), let municipality = integers("gemeente"),
      case .bytes(let ids, let width)? = physicalValues("clientnummer")
    else { return Array(0..<count) }
    let flags = patternColumns()
    var keys = [SortKey](repeating: SortKey(), count: count)
    for row in 0..<count {
      keys[row].row = row
      keys[row].place = UInt64(region[row]) << 32 | UInt64(municipality[row])
      for i in 0..<min(8, width) { keys[row].id = keys[row].id << 8 | UInt64(ids[row * width + i]) }
    }
    // Most informative flags first: their runs save the most.
    for (i, bits) in flags.prefix(128).enumerated() {
      let shift = UInt64(63 - i % 64)
      for row in 0..<count where bits[row] {
        if i < 64 { keys[row].pattern.0 |= 1 << shift } else { keys[row].pattern.1 |= 1 << shift }
      }
    }
    var rest: [Int64] = []
    if let date = integers("datum"), let phase = integers("fase") {
      rest = (0..<count).map { date[$0] << 8 | phase[$0] }
    }
    keys.sort { a, b in
      if a.place != b.place { return a.place < b.place }
      if a.pattern != b.pattern { return a.pattern < b.pattern }
      if a.id != b.id { return a.id < b.id }
      return rest.isEmpty ? a.row < b.row : (rest[a.row], a.row) < (rest[b.row], b.row)
    }
    return keys.map(\.row)
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
    guard let dates = integers(schema.partitionColumn) else { return [] }
    var rowsByYear: [Int: [Int]] = [:]
    for (row, day) in dates.enumerated() { rowsByYear[CivilDate.year(ofDays: day), default: []].append(row) }
    return rowsByYear.keys.sorted().map { ($0, permuted(rowsByYear[$0]!)) }
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
  var place: UInt64 = 0
  var pattern: (UInt64, UInt64) = (0, 0)
  var id: UInt64 = 0
  var row = 0
}

extension ColumnData {
  /// The rows at `order`, in that order.
  /// - Complexity: O(order.count).
  public func permuted(_ order: [Int]) -> ColumnData {
    let validity = self.validity.map { v in Bitmap(order.map { v[$0] }) }
    switch values {
    case .integers(let v):
      return ColumnData(.integers(order.map { v[$0] }), validity: validity)
    case .booleans(let b):
      var out = Bitmap(count: order.count)
      for (i, row) in order.enumerated() where b[row] { out[i] = true }
      return ColumnData(.booleans(out), validity: validity)
    case .bytes(let b, let width):
      var out = [UInt8]()
      out.reserveCapacity(order.count * width)
      for row in order { out.append(contentsOf: b[(row * width)..<(row * width + width)]) }
      return ColumnData(.bytes(out, width: width), validity: validity)
    }
  }
}
