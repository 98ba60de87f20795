// Schema: the columns of a dataset (the monitor's standard data set by default),
// their kinds and code lists, and which hold special-category data.
import KolomFormat

/// What kind of values a schema column holds.
public enum ColumnType: Sendable, Equatable {
  /// A pseudonymised identifier of `width` bytes.
  case id(width: Int)
  /// One code of a code list.
  case category(CodeList)
  /// A set of flags from a code list; stored as one bool column per flag.
  case flags(CodeList)
  /// A calendar date.
  case date
  /// A calendar year.
  case year
  /// A small integer.
  case int

  /// The code list of a category or flag set.
  public var codeList: CodeList? {
    switch self {
    case .category(let list), .flags(let list): list
    default: nil
    }
  }
}

/// How sensitive a column's values are.
public enum Sensitivity: String, Sendable, Equatable {
  case none
  /// A (pseudonymised) personal identifier.
  case personal
  /// Not identifying alone, but narrows down small groups (GDPR recital 26).
  case quasiIdentifier = "quasi-identifier"
  /// Special-category data (GDPR art. 9) or criminal data (art. 10).
  case special
}

/// One column of a schema.
public struct SchemaColumn: Sendable, Equatable {
  /// Stable field id; never reused for another meaning.
  public var fieldID: UInt32
  public var name: String
  public var label: String
  public var type: ColumnType
  /// Whether a record may lack a value (values of later moments).
  public var isNullable: Bool
  /// The moment at which the value is first filled.
  public var phase: String
  public var sensitivity: Sensitivity
  /// For special-category columns, which categories (gezondheid, geloof, …).
  public var specialCategories: [String]
}

/// A dataset's schema.
public struct Schema: Sendable, Equatable {
  public var name: String
  /// Raised whenever a column or code is added.
  public var version: Int
  public var description: String
  /// The date column whose year is a record's partition.
  public var partitionColumn: String
  public let columns: [SchemaColumn]
  /// The physical columns of a segment of this schema, and each column's place among them.
  public let physical: (columns: [ColumnDescriptor], layouts: [PhysicalLayout])

  public init(name: String, version: Int, description: String, partitionColumn: String, columns: [SchemaColumn]) {
    self.name = name
    self.version = version
    self.description = description
    self.partitionColumn = partitionColumn
    self.columns = columns
    physical = Schema.physicalLayout(of: columns)
  }

  public static func == (a: Schema, b: Schema) -> Bool {
    a.name == b.name && a.version == b.version && a.partitionColumn == b.partitionColumn && a.columns == b.columns
  }

  /// The column called `name`.
  /// Throws `StoreError.unknownColumn` with the nearest name.
  public func column(named name: String) throws -> SchemaColumn {
    guard let column = columns.first(where: { $0.name == name }) else {
      throw StoreError.unknownColumn(name, suggestion: Suggestion.nearest(to: name, among: columns.map(\.name)))
    }
    return column
  }

  /// Position of the column called `name` in `columns`.
  public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}
