// StoreError: what can go wrong in the store layer, with the input and place.
// Messages are rendered here, once.

/// An error of the store: schemas, code lists and (later) the dataset on disk.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A schema or code list file could not be read or does not follow its rules.
  case invalidSchema(file: String, detail: String)
  /// A CSV file is malformed at a line.
  case malformedCSV(file: String, line: Int, detail: String)
  /// A name that is not in the schema.
  case unknownColumn(String, suggestion: String?)
  /// A code that is not in a column's code list.
  case unknownCode(String, column: String, suggestion: String?)

  public var description: String {
    switch self {
    case .invalidSchema(let file, let detail):
      "schema \(file): \(detail)"
    case .malformedCSV(let file, let line, let detail):
      "\(file):\(line): \(detail)"
    case .unknownColumn(let name, let suggestion):
      "unknown column '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .unknownCode(let code, let column, let suggestion):
      "unknown code '\(code)' for \(column)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    }
  }
}
