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

  /// Record indices in segment order: by region, then pseudonym, date and phase.
  /// Grouping a region's rows makes region filters prune row groups, and putting a
  /// case's records side by side lets LZ4 store its repeated pseudonym as one match.
  /// - Complexity: O(n log n).
  public func segmentOrder() -> [Int] {
    guard let region = integers("regio"), let date = integers("datum"), let phase = integers("fase"),
      case .bytes(let ids, let width)? = physicalValues("clientnummer"), width >= 15
    else { return Array(0..<count) }
    var keys = [(UInt64, UInt64, UInt64, Int)]()
    keys.reserveCapacity(count)
    for row in 0..<count {
      var high = UInt64(region[row]) << 56
      var low: UInt64 = 0
      for i in 0..<7 { high |= UInt64(ids[row * width + i]) << (8 * UInt64(6 - i)) }
      for i in 7..<15 { low = low << 8 | UInt64(ids[row * width + i]) }
      let tail = UInt64(width > 15 ? ids[row * width + 15] : 0) << 56 | UInt64(date[row] & 0xFFFF_FFFF) << 8
        | UInt64(phase[row])
      keys.append((high, low, tail, row))
    }
    keys.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    return keys.map(\.3)
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
