// Values as text, the way delivery files, exports and `rectify --set` write them:
// codes by name, flag sets as `;`-separated flag names, dates as YYYY-MM-DD, years
// and ints as decimal digits, the empty text for null. Parsing works on UTF-8 bytes
// with a hash lookup per code, so that ingest reads hundreds of thousands of records
// a second.
import Foundation

/// Parses and formats the values of one schema's columns.
public struct ValueText: Sendable {
  public let schema: Schema
  /// Per column with a code list: code hash → code numbers with that hash.
  private let lookup: [[UInt64: [Int]]]
  private let codeBytes: [[[UInt8]]]

  public init(schema: Schema) {
    self.schema = schema
    var lookup: [[UInt64: [Int]]] = []
    var codeBytes: [[[UInt8]]] = []
    for column in schema.columns {
      var table: [UInt64: [Int]] = [:]
      let codes = column.type.codeList?.codes.map { Array($0.code.utf8) } ?? []
      for (number, code) in codes.enumerated() { table[Self.hash(code[...]), default: []].append(number) }
      lookup.append(table)
      codeBytes.append(codes)
    }
    self.lookup = lookup
    self.codeBytes = codeBytes
  }

  /// The value of column `column` written as `text` (nil for null), or a message
  /// saying what is wrong. The id column is not parsed here (ingest pseudonymises it).
  public func parse(_ text: ArraySlice<UInt8>, column: Int) -> Result<FieldValue?, ValueProblem> {
    let spec = schema.columns[column]
    let text = Self.trimmed(text)
    if text.isEmpty {
      // An empty flag set: null where the set may be unknown, else the set without flags.
      if case .flags = spec.type, !spec.isNullable { return .success(.flags(0)) }
      return spec.isNullable ? .success(nil) : .failure(.missing)
    }
    switch spec.type {
    case .id: return .failure(.message("is an identifier; give it as the clear client number"))
    case .category(let list):
      guard let number = code(text, column: column) else { return .failure(unknown(text, in: list)) }
      return .success(.int(Int64(number)))
    case .flags(let list):
      var mask: UInt64 = 0
      for part in text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
        let name = Self.trimmed(part)
        if name.isEmpty { return .failure(.message("has an empty flag name between ';'")) }
        guard let number = code(name, column: column) else { return .failure(unknown(name, in: list)) }
        mask |= 1 << UInt64(number)
      }
      return .success(.flags(mask))
    case .date:
      guard let days = Self.date(text) else {
        return .failure(.message("'\(String(decoding: text, as: UTF8.self))' is not a date (YYYY-MM-DD that exists)"))
      }
      return .success(.int(days))
    case .year, .int:
      guard let value = Self.integer(text) else {
        return .failure(.message("'\(String(decoding: text, as: UTF8.self))' is not a whole number"))
      }
      if case .year = spec.type, !(1900...2200).contains(value) {
        return .failure(.message("\(value) is not a plausible year"))
      }
      return .success(.int(value))
    }
  }

  /// Parses a whole text value (for `rectify --set`).
  public func parse(_ text: String, column: Int) -> Result<FieldValue?, ValueProblem> {
    parse(Array(text.utf8)[...], column: column)
  }

  /// `value` of column `column` as text: a code's name, flag names joined by ';', a
  /// date as YYYY-MM-DD, an id as hex; the empty text for null.
  public func format(_ value: FieldValue?, column: Int) -> String {
    guard let value else { return "" }
    switch (schema.columns[column].type, value) {
    case (.category(let list), .int(let n)): return list[Int(n)].code
    case (.flags(let list), .flags(let mask)):
      return (0..<list.count).filter { mask >> UInt64($0) & 1 == 1 }.map { list[$0].code }.joined(separator: ";")
    case (.date, .int(let days)): return CivilDate(days: days).description
    case (_, .int(let v)): return String(v)
    case (_, .bytes(let b)): return PseudonymKey.hex(b)
    case (_, .flags(let mask)): return String(mask)
    }
  }

  private func code(_ text: ArraySlice<UInt8>, column: Int) -> Int? {
    guard let candidates = lookup[column][Self.hash(text)] else { return nil }
    return candidates.first { codeBytes[column][$0].elementsEqual(text) }
  }

  private func unknown(_ text: ArraySlice<UInt8>, in list: CodeList) -> ValueProblem {
    let code = String(decoding: text, as: UTF8.self)
    return .unknownCode(code, suggestion: list.nearest(to: code))
  }

  static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var text = text
    while let first = text.first, first == 0x20 || first == 0x09 { text.removeFirst() }
    while let last = text.last, last == 0x20 || last == 0x09 { text.removeLast() }
    return text
  }

  /// FNV-1a, 64 bits.
  static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }

  /// Days since 1970-01-01 of a YYYY-MM-DD date that exists.
  static func date(_ text: ArraySlice<UInt8>) -> Int64? {
    guard text.count == 10 else { return nil }
    let b = Array(text)
    guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
    func digits(_ range: Range<Int>) -> Int? {
      var v = 0
      for i in range {
        guard (0x30...0x39).contains(b[i]) else { return nil }
        v = v * 10 + Int(b[i] - 0x30)
      }
      return v
    }
    guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10), (1...12).contains(month)
    else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...lengths[month - 1]).contains(day) else { return nil }
    return CivilDate(year: year, month: month, day: day).days
  }

  static func integer(_ text: ArraySlice<UInt8>) -> Int64? {
    var value: Int64 = 0
    var negative = false
    var any = false
    for (i, b) in zip(text.indices, text) {
      if i == text.startIndex && b == UInt8(ascii: "-") {
        negative = true
        continue
      }
      guard (0x30...0x39).contains(b), value < Int64.max / 10 - 10 else { return nil }
      value = value * 10 + Int64(b - 0x30)
      any = true
    }
    return any ? (negative ? -value : value) : nil
  }
}

/// What is wrong with one value.
public enum ValueProblem: Error, Sendable, Equatable, CustomStringConvertible {
  case missing
  case unknownCode(String, suggestion: String?)
  case message(String)

  public var description: String {
    switch self {
    case .missing: "a value is required"
    case .unknownCode(let code, let suggestion):
      "unknown code '\(code)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .message(let text): text
    }
  }
}
