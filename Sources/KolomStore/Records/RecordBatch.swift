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

  /// Record indices in segment order (see SegmentOrder), of all records or of those at `rows`.
  /// - Complexity: O(m log m) for m rows.
  public func segmentOrder(of rows: [Int]? = nil) -> [Int] {
    let rows = rows ?? Array(0..<count)
    let layouts = schema.physical.layouts
    let order = SegmentOrder(schema: schema, count: count) { c, f in
      guard case .flags(let first, _, _) = layouts[c], case .booleans(let bits) = columns[first + f].values else {
        return 0
      }
      return bits.trueCount
    }
    guard let order, let region = integers(order.region), let municipality = integers(order.municipality),
      case .single(let idColumn) = layouts[order.id], case .bytes(let ids, let width) = columns[idColumn].values
    else { return rows }
    let date = order.date.flatMap(integers)
    let phase = order.phase.flatMap(integers)
    var keys = rows.map { row in
      var key = SegmentKey(row: row)
      key.place = UInt64(region[row]) << 32 | UInt64(municipality[row])
      for i in 0..<min(8, width) { key.id = key.id << 8 | UInt64(ids[row * width + i]) }
      if let date, let phase { key.rest = date[row] << 8 | phase[row] }
      return key
    }
    for (i, (c, f)) in order.patternFlags.enumerated() {
      guard case .flags(let first, _, _) = layouts[c], case .booleans(let bits) = columns[first + f].values else {
        continue
      }
      bits.words.withUnsafeBufferPointer { words in
        keys.withUnsafeMutableBufferPointer { keys in
          for k in keys.indices {
            let row = keys[k].row
            keys[k].setPattern(i, words[row >> 6] >> UInt64(row & 63) & 1)
          }
        }
      }
    }
    return SegmentOrder.sorted(keys)
  }

  /// The records at `rows` (all when nil), in segment order.
  /// - Complexity: O(m log m + m × columns) for m rows.
  public func inSegmentOrder(rows: [Int]? = nil) -> RecordBatch {
    permuted(segmentOrder(of: rows))
  }

  /// The records split by the year of the partition column, in ascending year.
  /// - Complexity: O(n × columns).
  public func splitByYear() -> [(year: Int, records: RecordBatch)] {
    rowsByYear().map { ($0.year, permuted($0.rows)) }
  }

  /// The indices of the records of each year of the partition column, in ascending year.
  /// - Complexity: O(n), on both cores.
  public func rowsByYear() -> [(year: Int, rows: [Int])] {
    guard let dates = integers(schema.partitionColumn) else { return [] }
    return KolomStore.rowsByYear(dates: dates)
  }

  /// The values of the single physical column of schema column `name`.
  public func physicalValues(_ name: String) -> ColumnValues? {
    guard let i = schema.index(of: name), case .single(let p) = schema.physical.layouts[i] else { return nil }
    return columns[p].values
  }

  private func integers(_ name: String) -> [Int64]? { schema.index(of: name).flatMap(integers) }

  /// The values of schema column `column` when it is one integer column.
  private func integers(_ column: Int) -> [Int64]? {
    guard case .single(let p) = schema.physical.layouts[column], case .integers(let v) = columns[p].values else {
      return nil
    }
    return v
  }
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
