// CodeList: a dataset-wide, append-only list of codes. A code's position is the
// number stored on disk; codes are never reordered or removed.

/// One code of a code list.
public struct Code: Sendable, Equatable {
  /// The code as analysts type it ("JZ13", "GM0363", "adhd").
  public var code: String
  /// A description for people.
  public var label: String
  /// The schema version that introduced the code.
  public var since: Int
  /// Further columns of the list (for municipalities: `jeugdregio`).
  public var attributes: [String: String]
}

/// A named, versioned list of codes.
public struct CodeList: Sendable, Equatable {
  /// The list's name (its file name without `.csv`).
  public var name: String
  /// The codes in stored order.
  public var codes: [Code]
  private var positions: [String: Int]

  /// A list of `codes`; codes must be unique and non-empty.
  public init(name: String, codes: [Code]) throws {
    self.name = name
    self.codes = codes
    positions = [:]
    for (i, code) in codes.enumerated() {
      guard !code.code.isEmpty else {
        throw StoreError.invalidSchema(file: "\(name).csv", detail: "empty code at position \(i)")
      }
      guard positions.updateValue(i, forKey: code.code) == nil else {
        throw StoreError.invalidSchema(file: "\(name).csv", detail: "code '\(code.code)' appears twice")
      }
    }
  }

  /// The stored number of `code`, or nil when it is not in the list.
  public func number(of code: String) -> Int? { positions[code] }

  /// The code stored as `number`.
  public subscript(number: Int) -> Code { codes[number] }

  /// The number of codes.
  public var count: Int { codes.count }

  /// The code nearest to `text` by edit distance, for "did you mean" messages.
  public func nearest(to text: String) -> String? {
    Suggestion.nearest(to: text, among: codes.map(\.code))
  }

  /// Parses a code list from CSV with a header `code,label,since[,attribute…]`.
  public static func parse(csv: String, name: String) throws -> CodeList {
    let file = "\(name).csv"
    let records = try CSVReader.records(csv, file: file)
    guard let header = records.first?.fields, Array(header.prefix(3)) == ["code", "label", "since"] else {
      throw StoreError.invalidSchema(file: file, detail: "header must start with code,label,since")
    }
    let codes = try records.dropFirst().map { line, fields -> Code in
      guard fields.count == header.count else {
        throw StoreError.malformedCSV(
          file: file, line: line, detail: "\(fields.count) fields, header has \(header.count)")
      }
      guard let since = Int(fields[2]), since >= 1 else {
        throw StoreError.malformedCSV(file: file, line: line, detail: "since '\(fields[2])' is not a version")
      }
      let attributes = Dictionary(uniqueKeysWithValues: zip(header.dropFirst(3), fields.dropFirst(3)))
      return Code(code: fields[0], label: fields[1], since: since, attributes: attributes)
    }
    return try CodeList(name: name, codes: codes)
  }
}
