// RecordRows: records as raw integers, row after row, the form ingest checks them in.
// Appending a record is one copy; the columns a segment stores are gathered from the
// rows once, already in segment order, when the records are stored.
import KolomFormat

/// Records of one schema as raw values, row after row: per schema column an integer (a
/// code number, days since 1970-01-01, a year, an int, or a flag set's bit mask), a null
/// bit per column, and the identifier's bytes.
public struct RecordRows: Sendable {
  public let schema: Schema
  /// `count × schema.columns.count` raw values; 0 where a value is null.
  var values: [Int64] = []
  /// Per record, bit c set when schema column c is null.
  var nulls: [UInt64] = []
  /// `count × idWidth` bytes of the identifier column (zeros where there is none).
  var ids: [UInt8] = []
  let width: Int
  let idWidth: Int

  /// No records; room for `capacity` before the buffers grow.
  public init(schema: Schema, capacity: Int = 0) {
    precondition(schema.columns.count <= 64, "a record of more than 64 columns")
    self.schema = schema
    width = schema.columns.count
    idWidth = schema.columns.lazy.compactMap { if case .id(let w) = $0.type { w } else { nil } }.first ?? 0
    values.reserveCapacity(capacity * width)
    nulls.reserveCapacity(capacity)
    ids.reserveCapacity(capacity * idWidth)
  }

  /// The number of records.
  public var count: Int { nulls.count }

  /// Appends one record: `raw[c]` is schema column c's value, bit c of `nulls` set where
  /// it is null (its value is then stored as 0), `id` the identifier's bytes. Values must
  /// fit their columns (ingest checks first).
  mutating func append(raw: UnsafeBufferPointer<Int64>, nulls: UInt64, id: UnsafeBufferPointer<UInt8>) {
    precondition(raw.count == width && id.count == idWidth, "a record of \(raw.count) values and \(id.count) id bytes")
    values.append(contentsOf: raw)
    var null = nulls
    while null != 0 {
      values[values.count - width + null.trailingZeroBitCount] = 0
      null &= null &- 1
    }
    self.nulls.append(nulls)
    ids.append(contentsOf: id)
  }

  /// Removes the last record.
  mutating func removeLast() {
    values.removeLast(width)
    nulls.removeLast()
    ids.removeLast(idWidth)
  }

  /// The records at `order`, in that order.
  /// - Complexity: O(order.count × columns).
  func permuted(_ order: [Int]) -> RecordRows {
    var result = RecordRows(schema: schema, capacity: 0)
    result.values = [Int64](unsafeUninitializedCapacity: order.count * width) { out, initialized in
      values.withUnsafeBufferPointer { v in
        for (i, row) in order.enumerated() {
          precondition(row >= 0 && row < count, "record \(row) of \(count)")
          (out.baseAddress! + i * width).initialize(from: v.baseAddress! + row * width, count: width)
        }
      }
      initialized = order.count * width
    }
    result.nulls = order.map { nulls[$0] }
    result.ids = Self.gather(ids, width: idWidth, at: order)
    return result
  }

  /// The `width`-byte items of `bytes` at `order`, in that order.
  static func gather(_ bytes: [UInt8], width: Int, at order: [Int]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: order.count * width) { out, initialized in
      bytes.withUnsafeBufferPointer { bytes in
        for (i, item) in order.enumerated() {
          precondition(item >= 0 && (item + 1) * width <= bytes.count, "item \(item) of \(bytes.count / max(width, 1))")
          (out.baseAddress! + i * width).initialize(from: bytes.baseAddress! + item * width, count: width)
        }
      }
      initialized = order.count * width
    }
  }

  /// Schema column `column`'s value of record `row`; nil when it is null.
  func value(_ row: Int, _ column: Int) -> Int64? {
    nulls[row] >> UInt64(column) & 1 == 1 ? nil : values[row * width + column]
  }

  /// Schema column `column`'s values, record by record (0 where null).
  func values(of column: Int) -> [Int64] {
    values.withUnsafeBufferPointer { v in (0..<count).map { v[$0 * width + column] } }
  }
}
