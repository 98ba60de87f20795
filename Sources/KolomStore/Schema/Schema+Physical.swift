// How schema columns map to physical segment columns: one per column, except that
// a flag set becomes one bool column per flag (plus a presence column when nullable).
import KolomFormat

/// Where a schema column lives among the physical columns.
public enum PhysicalLayout: Sendable, Equatable {
  /// One physical column.
  case single(Int)
  /// One bool column per flag, in code-list order, and the presence column of a nullable set.
  case flags(first: Int, count: Int, presence: Int?)
}

extension Schema {
  static func physicalLayout(of columns: [SchemaColumn]) -> (columns: [ColumnDescriptor], layouts: [PhysicalLayout]) {
    var descriptors: [ColumnDescriptor] = []
    var layouts: [PhysicalLayout] = []
    for column in columns {
      let id = column.fieldID
      switch column.type {
      case .id(let width):
        layouts.append(.single(descriptors.count))
        descriptors.append(
          .init(fieldID: id, name: column.name, kind: .bytes, isNullable: column.isNullable, byteWidth: width))
      case .category(let list):
        layouts.append(.single(descriptors.count))
        descriptors.append(
          .init(fieldID: id, name: column.name, kind: .code, isNullable: column.isNullable, codeCount: list.count))
      case .date, .year, .int:
        layouts.append(.single(descriptors.count))
        let kind: ColumnKind = column.type == .date ? .date : .int
        descriptors.append(.init(fieldID: id, name: column.name, kind: kind, isNullable: column.isNullable))
      case .flags(let list):
        var presence: Int? = nil
        if column.isNullable {
          presence = descriptors.count
          descriptors.append(.init(fieldID: id << 16, name: column.name, kind: .bool))
        }
        layouts.append(.flags(first: descriptors.count, count: list.count, presence: presence))
        for (i, flag) in list.codes.enumerated() {
          descriptors.append(.init(fieldID: id << 16 | UInt32(i + 1), name: "\(column.name).\(flag.code)", kind: .bool))
        }
      }
    }
    return (descriptors, layouts)
  }
}
