// RecordBatchBuilder: collects records one at a time, in schema terms, and turns
// them into the physical columns of a RecordBatch.
import KolomFormat

/// One value of a record, in stored form.
public enum FieldValue: Sendable, Equatable {
  /// A category's code number, a date's days since 1970-01-01, a year or an int.
  case int(Int64)
  /// A flag set as a bit mask: bit i is the code list's flag i.
  case flags(UInt64)
  /// An identifier's bytes.
  case bytes([UInt8])
}

/// Builds a `RecordBatch` record by record.
public struct RecordBatchBuilder {
  public let schema: Schema
  private var integers: [[Int64]]
  private var masks: [[UInt64]]
  private var bytes: [[UInt8]]
  private var valid: [[Bool]]
  private var hasNulls: [Bool]
  /// Each column's stored form, so that appending copies no schema column.
  private let forms: [(kind: Form, nullable: Bool)]
  private enum Form {
    case id(Int)
    case flags
    case integer
  }
  public private(set) var count = 0

  public init(schema: Schema, capacity: Int = 0) {
    precondition(
      schema.columns.allSatisfy { if case .flags(let list) = $0.type { list.count <= 64 } else { true } },
      "flag sets hold at most 64 flags")
    self.schema = schema
    let n = schema.columns.count
    integers = Array(repeating: [], count: n)
    masks = Array(repeating: [], count: n)
    bytes = Array(repeating: [], count: n)
    valid = Array(repeating: [], count: n)
    hasNulls = Array(repeating: false, count: n)
    forms = schema.columns.map { column in
      let kind: Form =
        switch column.type {
        case .id(let width): .id(width)
        case .flags: .flags
        default: .integer
        }
      return (kind, column.isNullable)
    }
    for (i, form) in forms.enumerated() {
      switch form.kind {
      case .id(let width): bytes[i].reserveCapacity(capacity * width)
      case .flags: masks[i].reserveCapacity(capacity)
      case .integer: integers[i].reserveCapacity(capacity)
      }
    }
    for i in 0..<n { valid[i].reserveCapacity(capacity) }
  }

  /// Appends one record: `values[i]` is schema column i's value, nil for null.
  /// A value of the wrong form for its column is a bug, not bad input: ingest checks first.
  public mutating func append(_ values: [FieldValue?]) {
    precondition(values.count == forms.count, "record has \(values.count) values")
    for i in 0..<forms.count {
      let value = values[i]
      let form = forms[i]
      valid[i].append(value != nil)
      guard let value else {
        precondition(form.nullable, "null in required column \(schema.columns[i].name)")
        hasNulls[i] = true
        switch form.kind {
        case .id(let width): bytes[i].append(contentsOf: repeatElement(0, count: width))
        case .flags: masks[i].append(0)
        case .integer: integers[i].append(0)
        }
        continue
      }
      switch (form.kind, value) {
      case (.id(let width), .bytes(let b)):
        precondition(b.count == width, "\(schema.columns[i].name) needs \(width) bytes")
        bytes[i].append(contentsOf: b)
      case (.flags, .flags(let m)): masks[i].append(m)
      case (.integer, .int(let v)): integers[i].append(v)
      default: preconditionFailure("value \(value) does not fit column \(schema.columns[i].name)")
      }
    }
    count += 1
  }

  /// The records appended so far, as physical columns.
  /// - Complexity: O(records × physical columns).
  public func build() -> RecordBatch {
    let (descriptors, layouts) = schema.physical
    var columns = [ColumnData?](repeating: nil, count: descriptors.count)
    for (i, column) in schema.columns.enumerated() {
      let validity = hasNulls[i] ? Bitmap(valid[i]) : nil
      switch (layouts[i], column.type) {
      case (.single(let p), .id(let width)):
        columns[p] = ColumnData(.bytes(bytes[i], width: width), validity: validity)
      case (.single(let p), _):
        columns[p] = ColumnData(.integers(integers[i]), validity: validity)
      case (.flags(let first, let flagCount, let presence), _):
        if let presence { columns[presence] = ColumnData(.booleans(validity ?? Bitmap(count: count, value: true))) }
        for f in 0..<flagCount { columns[first + f] = ColumnData(.booleans(transpose(masks[i], bit: f))) }
      }
    }
    return RecordBatch(schema: schema, columns: columns.map { $0! })
  }

  private func transpose(_ masks: [UInt64], bit: Int) -> Bitmap {
    var words = [UInt64](repeating: 0, count: Bitmap.wordCount(masks.count))
    for (row, mask) in masks.enumerated() {
      words[row >> 6] |= ((mask >> UInt64(bit)) & 1) << UInt64(row & 63)
    }
    return Bitmap(words: words, count: masks.count)
  }
}
