// kolom schema: the ret-monitor schema, its columns, code lists and sensitivity.
import KolomStore

enum SchemaCommand {
  static func run(_ words: [String]) throws {
    _ = try Arguments(words, valued: [])
    let schema = try Schema.retMonitor()
    print("schema \(schema.name), version \(schema.version); partitioned by the year of \(schema.partitionColumn)")
    print(schema.description)
    for column in schema.columns {
      var kind: String
      switch column.type {
      case .id(let width): kind = "id(\(width) bytes)"
      case .category(let list): kind = "category(\(list.name): \(list.count) codes)"
      case .flags(let list): kind = "flags(\(list.name): \(list.count) flags)"
      case .date: kind = "date"
      case .year: kind = "year"
      case .int: kind = "int"
      }
      let special =
        column.sensitivity == .special
        ? " SPECIAL[\(column.specialCategories.joined(separator: ","))]"
        : column.sensitivity == .none ? "" : " \(column.sensitivity.rawValue)"
      print(
        "  \(column.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(kind.padding(toLength: 40, withPad: " ", startingAt: 0)) \(column.isNullable ? "nullable" : "required") \(column.phase)\(special)"
      )
    }
  }
}
