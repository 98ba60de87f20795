// ResultSet: what a query returns: named, typed columns and rows of values, with what
// the scan read and how long it took.

/// The type of a result column.
public enum ResultType: String, Sendable, Equatable {
  case integer, double, boolean, text, date, bytes

  init(_ type: ValueType) {
    switch type {
    case .int, .null: self = .integer
    case .double: self = .double
    case .bool: self = .boolean
    case .date: self = .date
    case .text, .flags: self = .text
    case .id: self = .bytes
    }
  }

  /// Whether values are numbers (right-aligned, summed in charts).
  public var isNumeric: Bool { self == .integer || self == .double }
}

/// A result column.
public struct ResultColumn: Sendable, Equatable {
  public var name: String
  public var type: ResultType

  public init(name: String, type: ResultType) {
    self.name = name
    self.type = type
  }
}

/// The result of a query.
public struct ResultSet: Sendable {
  public var columns: [ResultColumn]
  public var rows: [[Value]]
  /// What pruning left to read.
  public var counts: ScanCounts
  /// Wall time of planning and execution, in seconds.
  public var seconds: Double = 0

  public init(columns: [ResultColumn], rows: [[Value]], counts: ScanCounts = ScanCounts()) {
    self.columns = columns
    self.rows = rows
    self.counts = counts
  }

  /// The values of column `name`, if there is such a column.
  public func column(_ name: String) -> [Value]? {
    columns.firstIndex { $0.name == name }.map { c in rows.map { $0[c] } }
  }
}
