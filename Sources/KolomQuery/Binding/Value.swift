// Values as callers see them: parameters going in, result cells coming out.
import Foundation
import KolomStore

/// One SQL value.
public enum Value: Sendable, Hashable, CustomStringConvertible {
  case null
  case int(Int64)
  case double(Double)
  case bool(Bool)
  case text(String)
  case date(CivilDate)
  /// A pseudonym (the `id` column), never a clear client number.
  case bytes([UInt8])

  public var isNull: Bool { self == .null }

  /// The integer, if this is one.
  public var int: Int64? { if case .int(let v) = self { v } else { nil } }
  /// The number as a double, if this is an integer or a double.
  public var double: Double? {
    switch self {
    case .int(let v): Double(v)
    case .double(let v): v
    default: nil
    }
  }
  /// The text (a code), if this is text.
  public var text: String? { if case .text(let v) = self { v } else { nil } }
  /// The date, if this is one.
  public var date: CivilDate? { if case .date(let v) = self { v } else { nil } }

  /// The value as an analyst reads it: NULL, 42, 3.5, 2024-03-01, JZ13, hex for bytes.
  public var description: String {
    switch self {
    case .null: "NULL"
    case .int(let v): String(v)
    case .double(let v): Value.format(v)
    case .bool(let v): v ? "true" : "false"
    case .text(let v): v
    case .date(let v): v.description
    case .bytes(let v): v.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
  }

  /// A double as Swift prints it (the shortest text that reads back the same).
  static func format(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return String(v)
  }
}

/// The type of an expression's values, as the binder knows it.
public enum ValueType: Sendable, Equatable, CustomStringConvertible {
  case int
  case double
  case bool
  case date
  /// Text, held at run time as an index into the dictionary.
  case text(TextDictionary)
  /// Fixed-width bytes (the pseudonym).
  case id(width: Int)
  /// A flag set: usable only in HAS, EACH and cardinality.
  case flags(FlagSet)
  /// The type of a bare NULL.
  case null

  public var description: String {
    switch self {
    case .int: "integer"
    case .double: "double"
    case .bool: "boolean"
    case .date: "date"
    case .text(let d): d.column.map { "code of \($0)" } ?? "text"
    case .id: "pseudonym"
    case .flags(let set): "flag set \(set.column)"
    case .null: "NULL"
    }
  }

  var isNumeric: Bool { self == .int || self == .double }

  /// The description with its indefinite article, for messages: "an integer", "a date".
  var withArticle: String {
    let text = description
    return ("aeiou".contains(text.first ?? "x") ? "an " : "a ") + text
  }

  /// The dictionary of a text type.
  var dictionary: TextDictionary? {
    if case .text(let d) = self { return d }
    return nil
  }
}

/// The strings a text expression can take; values are indices into `strings`.
/// Identity matters: two expressions share a dictionary only when they are the same object.
public final class TextDictionary: Sendable, Equatable {
  /// The possible strings, in index order.
  public let strings: [String]
  /// The category column these are the codes of, if any (for "unknown code" messages).
  public let column: String?
  /// For a category: the code list, for suggestions and `.values`.
  let positions: [String: Int]
  /// Each index's rank in sorted string order, so text compares and sorts as integers.
  let ranks: [Int64]

  init(_ strings: [String], column: String? = nil) {
    self.strings = strings
    self.column = column
    var positions: [String: Int] = [:]
    for (i, s) in strings.enumerated() where positions[s] == nil { positions[s] = i }
    self.positions = positions
    var ranks = [Int64](repeating: 0, count: strings.count)
    for (rank, i) in strings.indices.sorted(by: { strings[$0] < strings[$1] }).enumerated() { ranks[i] = Int64(rank) }
    self.ranks = ranks
  }

  /// The index of `string`, if it is one of the strings.
  func index(of string: String) -> Int? { positions[string] }

  public static func == (a: TextDictionary, b: TextDictionary) -> Bool { a === b }
}

/// A flag set column: its code list and where its bool columns are.
public struct FlagSet: Sendable, Equatable {
  public let column: String
  public let codes: [String]
  /// Physical index of the first flag's bool column; flag i is at `first + i`.
  let first: Int
  /// Physical index of the presence column of a nullable set.
  let presence: Int?
}

extension Value {
  /// A value typed by an analyst: 42, 3.5, 2024-01-31, 'text' or text, NULL.
  public init(parsing text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.count >= 2, trimmed.hasPrefix("'"), trimmed.hasSuffix("'") {
      self = .text(String(trimmed.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
    } else if trimmed.uppercased() == "NULL" {
      self = .null
    } else if let v = Int64(trimmed) {
      self = .int(v)
    } else if let v = Double(trimmed) {
      self = .double(v)
    } else if let date = CivilDate(iso: trimmed) {
      self = .date(date)
    } else {
      self = .text(trimmed)
    }
  }
}
