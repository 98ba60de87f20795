// Values as text, the way delivery files, exports and `rectify --set` write them:
// codes by name, flag sets as `;`-separated flag names, dates as YYYY-MM-DD, years
// and ints as decimal digits, the empty text for null. Parsing works on UTF-8 bytes
// with a hash lookup per code, so that ingest reads hundreds of thousands of records
// a second.
import Foundation

/// Bytes of a delivery file, borrowed (no reference counting in the hot loops).
public typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

/// Parses and formats the values of one schema's columns.
public struct ValueText: Sendable {
  public let schema: Schema
  /// Each column's kind and nullability, so that parsing copies no schema column.
  private let forms: [(kind: Kind, nullable: Bool)]
  /// Per column with a code list, its codes by hash.
  private let tables: [CodeTable?]

  private enum Kind {
    case id, category, flags, date, year, int
  }

  public init(schema: Schema) {
    self.schema = schema
    forms = schema.columns.map { column in
      let kind: Kind =
        switch column.type {
        case .id: .id
        case .category: .category
        case .flags: .flags
        case .date: .date
        case .year: .year
        case .int: .int
        }
      return (kind, column.isNullable)
    }
    tables = schema.columns.map { $0.type.codeList.map(CodeTable.init) }
  }

  /// The value of column `column` written as `text` (nil for null), or a message
  /// saying what is wrong. The id column is not parsed here (ingest pseudonymises it).
  public func parse(_ text: Bytes, column: Int) -> Result<FieldValue?, ValueProblem> {
    var problem: ValueProblem?
    let value = raw(text, column: column, problem: &problem)
    if let problem { return .failure(problem) }
    guard let value else { return .success(nil) }
    if case .flags = forms[column].kind { return .success(.flags(UInt64(bitPattern: value))) }
    return .success(.int(value))
  }

  /// `parse` for the hot loop of ingest: the value as a raw integer (a code number, days,
  /// a year, an int, or a flag mask's bit pattern), or nil with `problem` set (nil with
  /// `problem` nil is a null). No `FieldValue` or `Result` is made per value.
  @inline(__always)
  func raw(_ text: Bytes, column: Int, problem: inout ValueProblem?) -> Int64? {
    let (kind, nullable) = forms[column]
    let text = Self.trimmed(text)
    if text.isEmpty {
      // An empty flag set: null where the set may be unknown, else the set without flags.
      if kind == .flags && !nullable { return 0 }
      if !nullable { problem = .missing }
      return nil
    }
    switch kind {
    case .id:
      problem = .message("is an identifier; give it as the clear client number")
      return nil
    case .category:
      guard let number = tables[column]!.number(of: text) else {
        problem = unknown(text, column: column)
        return nil
      }
      return Int64(number)
    case .flags:
      var mask: UInt64 = 0
      var start = text.startIndex
      let table = tables[column]!
      while start <= text.endIndex {
        var end = start
        while end < text.endIndex && text.base[end] != UInt8(ascii: ";") { end += 1 }
        let name = Self.trimmed(text[start..<end])
        if name.isEmpty {
          problem = .message("has an empty flag name between ';'")
          return nil
        }
        guard let number = table.number(of: name) else {
          problem = unknown(name, column: column)
          return nil
        }
        mask |= 1 << UInt64(number)
        start = end + 1
      }
      return Int64(bitPattern: mask)
    case .date:
      guard let days = Self.date(text) else {
        problem = .message("'\(String(decoding: text, as: UTF8.self))' is not a date (YYYY-MM-DD that exists)")
        return nil
      }
      return days
    case .year, .int:
      guard let value = Self.integer(text) else {
        problem = .message("'\(String(decoding: text, as: UTF8.self))' is not a whole number")
        return nil
      }
      if kind == .year && !(1900...2200).contains(value) {
        problem = .message("\(value) is not a plausible year")
        return nil
      }
      return value
    }
  }

  /// Parses a whole text value (for `rectify --set`).
  public func parse(_ text: String, column: Int) -> Result<FieldValue?, ValueProblem> {
    Array(text.utf8).withUnsafeBufferPointer { parse($0[...], column: column) }
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

  private func unknown(_ text: Bytes, column: Int) -> ValueProblem {
    let code = String(decoding: text, as: UTF8.self)
    return .unknownCode(code, suggestion: schema.columns[column].type.codeList?.nearest(to: code))
  }

  /// `text` without blanks (spaces, tabs) at either end.
  @inline(__always)
  static func trimmed(_ text: Bytes) -> Bytes {
    // Most fields have none: two comparisons.
    guard let first = text.first, let last = text.last else { return text }
    if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return text }
    var (start, end) = (text.startIndex, text.endIndex)
    while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
    while start < end, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
    return text[start..<end]
  }

  static func trimmed<C: BidirectionalCollection<UInt8>>(_ text: C) -> C.SubSequence {
    var start = text.startIndex
    var end = text.endIndex
    while start < end, text[start] == 0x20 || text[start] == 0x09 { start = text.index(after: start) }
    while start < end, text[text.index(before: end)] == 0x20 || text[text.index(before: end)] == 0x09 {
      end = text.index(before: end)
    }
    return text[start..<end]
  }

  /// Days since 1970-01-01 of a YYYY-MM-DD date that exists.
  static func date(_ text: Bytes) -> Int64? {
    guard text.count == 10 else { return nil }
    let b = UnsafeBufferPointer(rebasing: text)
    guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
    func digit(_ i: Int) -> Int { Int(b[i]) &- 0x30 }
    for i in 0..<10 where i != 4 && i != 7 {
      guard (0...9).contains(digit(i)) else { return nil }
    }
    let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    let month = digit(5) * 10 + digit(6)
    let day = digit(8) * 10 + digit(9)
    guard (1...12).contains(month), day >= 1 else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    // 31 days in January, March, May, July, August, October and December.
    let length = month == 2 ? (leap ? 29 : 28) : 30 + (month + month >> 3) & 1
    guard day <= length else { return nil }
    return CivilDate(year: year, month: month, day: day).days
  }

  static func integer(_ text: Bytes) -> Int64? {
    let b = UnsafeBufferPointer(rebasing: text)
    let negative = b.first == UInt8(ascii: "-")
    guard b.count > (negative ? 1 : 0) else { return nil }
    var value: Int64 = 0
    for i in (negative ? 1 : 0)..<b.count {
      guard (0x30...0x39).contains(b[i]), value < Int64.max / 10 - 10 else { return nil }
      value = value * 10 + Int64(b[i] - 0x30)
    }
    return negative ? -value : value
  }
}

/// A code list's codes by hash, open addressing. A code is read as two 8-byte words
/// (its first and its last eight bytes, overlapping when shorter), which with its
/// length are the code itself up to 16 bytes: a lookup hashes two words and compares
/// three, and only a longer code compares its bytes.
final class CodeTable: Sendable {
  // A class: a lookup then retains one reference, not the arrays.
  private struct Slot {
    var head: UInt64 = 0
    var tail: UInt64 = 0
    var length = -1
    var number = -1
  }
  private let slots: [Slot]
  private let codes: [[UInt8]]
  private let mask: Int

  init(_ list: CodeList) {
    codes = list.codes.map { Array($0.code.utf8) }
    var size = 16
    while size < codes.count * 4 { size <<= 1 }
    let mask = size - 1
    var slots = [Slot](repeating: Slot(), count: size)
    for (number, code) in codes.enumerated() {
      code.withUnsafeBufferPointer { code in
        let (head, tail) = Self.words(code.baseAddress, code.count)
        var i = Self.hash(head, tail, code.count) & mask
        while slots[i].number >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(head: head, tail: tail, length: code.count, number: number)
      }
    }
    self.slots = slots
    self.mask = mask
  }

  func number(of text: Bytes) -> Int? {
    let start = text.base.baseAddress.map { $0 + text.startIndex }
    let length = text.count
    let (head, tail) = Self.words(start, length)
    return slots.withUnsafeBufferPointer { slots in
      var i = Self.hash(head, tail, length) & mask
      while slots[i].number >= 0 {
        let slot = slots[i]
        if slot.head == head && slot.tail == tail && slot.length == length
          && (length <= 16
            || codes[slot.number].withUnsafeBufferPointer { memcmp($0.baseAddress!, start!, length) == 0 })
        {
          return slot.number
        }
        i = (i + 1) & mask
      }
      return nil
    }
  }

  /// The first and the last eight bytes of `count` bytes at `bytes` (little-endian; the
  /// first and last four, or the bytes themselves, when there are fewer).
  @inline(__always)
  private static func words(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> (UInt64, UInt64) {
    guard let p = bytes, count > 0 else { return (0, 0) }
    let raw = UnsafeRawPointer(p)
    if count >= 8 {
      return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
    if count >= 4 {
      return (
        UInt64(raw.loadUnaligned(as: UInt32.self)),
        UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      )
    }
    var word: UInt64 = 0
    for i in 0..<count { word |= UInt64(p[i]) << UInt64(8 * i) }
    return (word, 0)
  }

  @inline(__always)
  private static func hash(_ head: UInt64, _ tail: UInt64, _ length: Int) -> Int {
    let mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)
    return Int(truncatingIfNeeded: mixed >> 29)
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
