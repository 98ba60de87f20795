// An expression printed back as query text, canonically (lower-case names, upper-case
// keywords, no locations): the default name of a result column, and how ORDER BY and
// HAVING find a select item or group key written the same way.
import Foundation

extension Expression {
  /// The expression as canonical query text.
  var text: String {
    switch kind {
    case .literal(let literal): literal.text
    case .parameter(let name): ":\(name)"
    case .column(let name): name
    case .negate(let e): "-\(e.parenthesized)"
    case .not(let e): "NOT \(e.parenthesized)"
    case .binary(let op, let a, let b): "\(a.parenthesized) \(op) \(b.parenthesized)"
    case .inList(let e, let list, let negated):
      "\(e.parenthesized) \(negated ? "NOT IN" : "IN") (\(list.map(\.text).joined(separator: ", ")))"
    case .between(let e, let low, let high, let negated):
      "\(e.parenthesized) \(negated ? "NOT BETWEEN" : "BETWEEN") \(low.parenthesized) AND \(high.parenthesized)"
    case .isNull(let e, let negated): "\(e.parenthesized) IS \(negated ? "NOT NULL" : "NULL")"
    case .has(let e, let mode, let flags):
      switch mode {
      case .one: "\(e.parenthesized) HAS \(flags[0].text)"
      case .any: "\(e.parenthesized) HAS ANY (\(flags.map(\.text).joined(separator: ", ")))"
      case .all: "\(e.parenthesized) HAS ALL (\(flags.map(\.text).joined(separator: ", ")))"
      }
    case .call(let name, let arguments, let distinct, let star, let filter):
      "\(name.lowercased())(\(distinct ? "DISTINCT " : "")\(star ? "*" : arguments.map(\.text).joined(separator: ", ")))"
        + (filter.map { " FILTER (WHERE \($0.text))" } ?? "")
    case .caseWhen(let clauses, let otherwise):
      "CASE" + clauses.map { " WHEN \($0.condition.text) THEN \($0.value.text)" }.joined()
        + (otherwise.map { " ELSE \($0.text)" } ?? "") + " END"
    case .each(let name, let keepEmpty): "EACH(\(name)\(keepEmpty ? " KEEP EMPTY" : ""))"
    }
  }

  private var parenthesized: String {
    switch kind {
    case .binary, .between, .inList, .isNull, .has, .not: "(\(text))"
    default: text
    }
  }

  /// Whether the expression, or one inside it, satisfies `test`.
  func contains(where test: (Expression) -> Bool) -> Bool { first(where: test) != nil }

  /// The first expression in this one (itself included, depth first) that passes `test`.
  func first(where test: (Expression) -> Bool) -> Expression? {
    if test(self) { return self }
    for child in children {
      if let found = child.first(where: test) { return found }
    }
    return nil
  }

  /// The expressions directly inside this one (a call's FILTER included).
  var children: [Expression] {
    switch kind {
    case .literal, .parameter, .column, .each: []
    case .negate(let e), .not(let e), .isNull(let e, _): [e]
    case .binary(_, let a, let b): [a, b]
    case .inList(let e, let list, _): [e] + list
    case .between(let e, let low, let high, _): [e, low, high]
    case .has(let e, _, let flags): [e] + flags
    case .call(_, let arguments, _, _, let filter): arguments + (filter.map { [$0] } ?? [])
    case .caseWhen(let clauses, let otherwise):
      clauses.flatMap { [$0.condition, $0.value] } + (otherwise.map { [$0] } ?? [])
    }
  }
}

extension Literal {
  var text: String {
    switch self {
    case .null: "NULL"
    case .bool(let value): value ? "TRUE" : "FALSE"
    case .integer(let value): String(value)
    case .decimal(let value): String(value)
    case .string(let value): "'\(value.replacingOccurrences(of: "'", with: "''"))'"
    case .date(let value): "DATE '\(value)'"
    case .bytes(let bytes): "X'\(bytes.map { String($0, radix: 16).leftPadded(2) }.joined())'"
    }
  }
}

extension String {
  /// The string padded with zeros on the left to `width` characters.
  func leftPadded(_ width: Int, with pad: Character = "0") -> String {
    String(repeating: pad, count: max(0, width - count)) + self
  }
}
