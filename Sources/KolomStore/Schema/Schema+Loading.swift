// Loads a schema from its declarative files: schema.json plus codes/*.csv.
import Foundation

extension Schema {
  /// The default schema, `ret-monitor`, shipped with Kolom.
  public static func retMonitor() throws -> Schema {
    try load(SchemaFiles.retMonitor())
  }

  /// Loads the schema in `directory` (`schema.json` and `codes/NAME.csv`).
  public static func load(directory: String) throws -> Schema {
    try load(SchemaFiles(directory: directory))
  }

  /// Loads a schema from the text of its files.
  public static func load(_ files: SchemaFiles) throws -> Schema {
    let file = files.origin + "/schema.json"
    let declared: DeclaredSchema
    do {
      declared = try JSONDecoder().decode(DeclaredSchema.self, from: Data(files.schema.utf8))
    } catch {
      throw StoreError.invalidSchema(file: file, detail: "\(error)")
    }
    var lists: [String: CodeList] = [:]
    func codeList(_ name: String) throws -> CodeList {
      if let list = lists[name] { return list }
      guard let text = files.codeLists[name] else {
        throw StoreError.invalidSchema(file: file, detail: "code list \(name) is missing")
      }
      let list = try CodeList.parse(csv: text, name: name)
      lists[name] = list
      return list
    }
    let columns = try declared.columns.map { try $0.resolve(in: file, codeList: codeList) }
    let schema = Schema(
      name: declared.name, version: declared.version, description: declared.description,
      partitionColumn: declared.partition_by, columns: columns)
    try schema.validate(file: file)
    return schema
  }

  private func validate(file: String) throws {
    var ids = Set<UInt32>()
    var names = Set<String>()
    for column in columns {
      guard ids.insert(column.fieldID).inserted, names.insert(column.name).inserted else {
        throw StoreError.invalidSchema(file: file, detail: "column \(column.name) repeats an id or a name")
      }
      guard column.fieldID > 0 && column.fieldID < 1 << 16 else {
        throw StoreError.invalidSchema(file: file, detail: "column \(column.name): id must be 1 ... 65535")
      }
      for code in column.type.codeList?.codes ?? [] where code.since > version {
        throw StoreError.invalidSchema(
          file: file, detail: "code \(code.code) of \(column.name) is from version \(code.since), schema is \(version)")
      }
    }
    guard let partition = columns.first(where: { $0.name == partitionColumn }), partition.type == .date,
      !partition.isNullable
    else {
      throw StoreError.invalidSchema(file: file, detail: "partition_by must name a required date column")
    }
  }
}

/// The text of a schema's files: what the store keeps in its manifest, so a store
/// always reads with the schema it was written with.
public struct SchemaFiles: Codable, Sendable, Equatable {
  /// schema.json.
  public var schema: String
  /// Each code list's CSV, by name.
  public var codeLists: [String: String]
  /// Where the files came from, for messages.
  public var origin: String

  enum CodingKeys: String, CodingKey {
    case schema, origin
    case codeLists = "code_lists"
  }

  public init(schema: String, codeLists: [String: String], origin: String) {
    self.schema = schema
    self.codeLists = codeLists
    self.origin = origin
  }

  /// The files of the default schema, `ret-monitor`, shipped with Kolom.
  public static func retMonitor() throws -> SchemaFiles {
    guard let url = Bundle.module.url(forResource: "ret-monitor", withExtension: nil, subdirectory: "Schemas") else {
      throw StoreError.invalidSchema(file: "ret-monitor", detail: "not found among the bundled schemas")
    }
    return try SchemaFiles(directory: url.path)
  }

  /// Reads `directory/schema.json` and every `directory/codes/*.csv`.
  public init(directory: String) throws {
    func read(_ path: String) throws -> String {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw StoreError.invalidSchema(file: path, detail: "cannot be read")
      }
      return String(decoding: data, as: UTF8.self)
    }
    schema = try read(directory + "/schema.json")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/codes")) ?? []
    var lists: [String: String] = [:]
    for name in names where name.hasSuffix(".csv") {
      lists[String(name.dropLast(4))] = try read("\(directory)/codes/\(name)")
    }
    codeLists = lists
    origin = directory
  }
}

/// schema.json as written.
private struct DeclaredSchema: Decodable {
  var name: String
  var version: Int
  var description: String
  var partition_by: String
  var columns: [DeclaredColumn]
}

private struct DeclaredColumn: Decodable {
  var id: UInt32
  var name: String
  var kind: String
  var label: String
  var phase: String
  var codes: String?
  var width: Int?
  var nullable: Bool?
  var sensitivity: String?
  var special_categories: [String]?

  func resolve(in file: String, codeList: (String) throws -> CodeList) throws -> SchemaColumn {
    let type: ColumnType
    switch (kind, codes, width) {
    case ("id", nil, let w?) where w > 0 && w <= 64: type = .id(width: w)
    case ("category", let list?, nil): type = .category(try codeList(list))
    case ("flags", let list?, nil): type = .flags(try codeList(list))
    case ("date", nil, nil): type = .date
    case ("year", nil, nil): type = .year
    case ("int", nil, nil): type = .int
    default:
      throw StoreError.invalidSchema(
        file: file, detail: "column \(name): kind '\(kind)' with these attributes is not allowed")
    }
    guard let sensitivity = Sensitivity(rawValue: sensitivity ?? "none") else {
      throw StoreError.invalidSchema(file: file, detail: "column \(name): unknown sensitivity '\(sensitivity!)'")
    }
    return SchemaColumn(
      fieldID: id, name: name, label: label, type: type, isNullable: nullable ?? false, phase: phase,
      sensitivity: sensitivity, specialCategories: special_categories ?? [])
  }
}
