// ColumnDescriptor: what a segment says about one physical column: its stable
// field id, kind, nullability, width and name (format-spec/file-layout.md, column table).

/// The logical kind of a physical column. IDs never change meaning.
public enum ColumnKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  /// Fixed-width bytes (for example a 16-byte pseudonym); PLAIN only.
  case bytes = 1
  /// A signed 64-bit integer.
  case int = 2
  /// A boolean, for example one flag of an indicator set.
  case bool = 3
  /// A code from a dataset-wide code list, 0 ..< codeCount.
  case code = 4
  /// A calendar date as days since 1970-01-01.
  case date = 5

  public var description: String {
    switch self {
    case .bytes: "bytes"
    case .int: "int"
    case .bool: "bool"
    case .code: "code"
    case .date: "date"
    }
  }

  /// Whether values of this kind are held as `Int64` in memory.
  public var isInteger: Bool { self == .int || self == .code || self == .date }
}

/// One physical column of a segment.
public struct ColumnDescriptor: Sendable, Equatable {
  /// Stable id of the field; columns are matched by it, never by name or position.
  public var fieldID: UInt32
  /// The column's name, for people (UTF-8).
  public var name: String
  /// The logical kind.
  public var kind: ColumnKind
  /// Whether rows may be null (then chunks with nulls carry a validity bitmap).
  public var isNullable: Bool
  /// Bytes per value for `.bytes`; 0 otherwise.
  public var byteWidth: Int
  /// Size of the code domain for `.code` (sets the presence bitmap size); 0 otherwise.
  public var codeCount: Int

  /// A column description; `byteWidth` only for `.bytes`, `codeCount` only for `.code`.
  public init(
    fieldID: UInt32, name: String, kind: ColumnKind, isNullable: Bool = false,
    byteWidth: Int = 0, codeCount: Int = 0
  ) {
    precondition((kind == .bytes) == (byteWidth > 0), "byte width \(byteWidth) for \(kind) column \(name)")
    precondition((kind == .code) == (codeCount > 0), "code count \(codeCount) for \(kind) column \(name)")
    self.fieldID = fieldID
    self.name = name
    self.kind = kind
    self.isNullable = isNullable
    self.byteWidth = byteWidth
    self.codeCount = codeCount
  }

  /// Bytes of presence bitmap each chunk of this column has in the footer.
  public var presenceBytes: Int { kind == .code ? Bitmap.wordCount(codeCount) * 8 : 0 }
}
