// Code lookups: every code of every list is found by its text, and no text that differs
// from a code in one byte, in length or in a long code's middle is.
import Foundation
import Testing

@testable import KolomStore

@Suite struct ValueTextTests {
  @Test func everyCodeIsFoundAndNoNearMiss() {
    for column in testSchema.columns {
      guard let list = column.type.codeList else { continue }
      let table = CodeTable(list)
      let codes = Set(list.codes.map(\.code))
      for (number, code) in list.codes.enumerated() {
        #expect(lookup(table, Array(code.code.utf8)) == number, "\(column.name) \(code.code)")
        let bytes = Array(code.code.utf8)
        var misses = [bytes + [0x41], Array(bytes.dropLast()), [0x20] + bytes]
        for i in bytes.indices {
          var changed = bytes
          changed[i] ^= 0x01
          misses.append(changed)
        }
        for miss in misses where !codes.contains(String(decoding: miss, as: UTF8.self)) {
          #expect(lookup(table, miss) == nil, "\(column.name) \(String(decoding: miss, as: UTF8.self))")
        }
      }
    }
  }

  private func lookup(_ table: CodeTable, _ text: [UInt8]) -> Int? {
    text.withUnsafeBufferPointer { table.number(of: $0[...]) }
  }

  @Test func aLongCodeDifferingOnlyInTheMiddleIsAnotherCode() throws {
    let list = try CodeList(
      name: "t",
      codes: [("abcdefghij_klmnopqrstuvwxyz", "one"), ("abcdefghij-klmnopqrstuvwxyz", "two")].map {
        Code(code: $0.0, label: $0.1, since: 1, attributes: [:])
      })
    let table = CodeTable(list)
    #expect(lookup(table, Array("abcdefghij-klmnopqrstuvwxyz".utf8)) == 1)
    #expect(lookup(table, Array("abcdefghij_klmnopqrstuvwxyz".utf8)) == 0)
    #expect(lookup(table, Array("abcdefghij.klmnopqrstuvwxyz".utf8)) == nil)
  }
}
