// Catalog: the schema as the binder sees it, the one table `cases` with each column's
// type and physical place. Built once per store; its text dictionaries are shared by
// every query, so equal categories compare as integers.
import KolomStore

/// What a column name stands for.
enum CatalogColumn: Sendable {
  /// A single physical column of an int, date, code or id type.
  case scalar(physical: Int, type: ValueType)
  case flags(FlagSet)

  var type: ValueType {
    switch self {
    case .scalar(_, let type): type
    case .flags(let set): .flags(set)
    }
  }
}

/// The columns of `cases`.
public final class Catalog: Sendable {
  /// The name of the one table.
  public static let table = "cases"

  public let schema: Schema
  /// Columns by name, in schema order.
  let columns: [(name: String, column: CatalogColumn)]
  private let byName: [String: CatalogColumn]
  /// The dictionary of each flag set's codes, for EACH keys.
  private let flagDictionaries: [String: TextDictionary]

  public init(schema: Schema) {
    self.schema = schema
    var columns: [(String, CatalogColumn)] = []
    var flagDictionaries: [String: TextDictionary] = [:]
    for (column, layout) in zip(schema.columns, schema.physical.layouts) {
      switch (column.type, layout) {
      case (.flags(let list), .flags(let first, _, let presence)):
        let codes = list.codes.map(\.code)
        columns.append(
          (column.name, .flags(FlagSet(column: column.name, codes: codes, first: first, presence: presence))))
        flagDictionaries[column.name] = TextDictionary(codes, column: column.name)
      case (.category(let list), .single(let p)):
        columns.append(
          (column.name, .scalar(physical: p, type: .text(TextDictionary(list.codes.map(\.code), column: column.name)))))
      case (.id(let width), .single(let p)):
        columns.append((column.name, .scalar(physical: p, type: .id(width: width))))
      case (.date, .single(let p)): columns.append((column.name, .scalar(physical: p, type: .date)))
      case (.year, .single(let p)), (.int, .single(let p)):
        columns.append((column.name, .scalar(physical: p, type: .int)))
      default: preconditionFailure("column \(column.name) has layout \(layout)")
      }
    }
    self.columns = columns
    byName = Dictionary(columns.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
    self.flagDictionaries = flagDictionaries
  }

  /// The column called `name` (case-insensitive), if any.
  func column(_ name: String) -> CatalogColumn? { byName[name.lowercased()] }

  /// The dictionary of flag set `set`'s codes.
  func flagDictionary(_ set: FlagSet) -> TextDictionary { flagDictionaries[set.column]! }

  /// The column names, for suggestions and completion.
  public var columnNames: [String] { columns.map(\.name) }

  /// The physical column of the partition date, for pruning.
  var partitionColumn: Int? {
    if case .scalar(let p, _)? = column(schema.partitionColumn) { return p }
    return nil
  }
}
