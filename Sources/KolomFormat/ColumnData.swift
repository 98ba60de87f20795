// ColumnData: one column's values in memory, as the writer takes them and the
// reader returns them.

/// The values of one column over a run of rows.
public enum ColumnValues: Sendable, Equatable {
  /// `.int`, `.code` and `.date` columns.
  case integers([Int64])
  /// `.bool` columns.
  case booleans(Bitmap)
  /// `.bytes` columns: `count × width` bytes, row after row.
  case bytes([UInt8], width: Int)

  /// The number of rows.
  public var count: Int {
    switch self {
    case .integers(let values): values.count
    case .booleans(let bits): bits.count
    case .bytes(let bytes, let width): bytes.count / width
    }
  }

  /// The values of the rows in `range`.
  public func slice(_ range: Range<Int>) -> ColumnValues {
    switch self {
    case .integers(let values): .integers(Array(values[range]))
    case .booleans(let bits): .booleans(bits.slice(range))
    case .bytes(let bytes, let width):
      .bytes(Array(bytes[(range.lowerBound * width)..<(range.upperBound * width)]), width: width)
    }
  }
}

/// One column's values with its validity (nil when every row is valid).
public struct ColumnData: Sendable, Equatable {
  /// The values; a null row holds a placeholder (0, false or zero bytes).
  public var values: ColumnValues
  /// Bit i set when row i is not null; nil when no row is null.
  public var validity: Bitmap?

  /// Values with an optional validity bitmap of the same length.
  public init(_ values: ColumnValues, validity: Bitmap? = nil) {
    precondition(validity == nil || validity!.count == values.count, "validity length mismatch")
    self.values = values
    self.validity = validity
  }

  /// The number of rows.
  public var count: Int { values.count }

  /// The number of null rows.
  public var nullCount: Int { validity.map { $0.count - $0.trueCount } ?? 0 }

  /// Whether row `row` is null.
  public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

  /// The rows in `range`.
  public func slice(_ range: Range<Int>) -> ColumnData {
    ColumnData(values.slice(range), validity: validity?.slice(range))
  }
}
