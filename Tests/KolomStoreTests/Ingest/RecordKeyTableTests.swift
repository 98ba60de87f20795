// The duplicate table: every key once, a repeated key names the record that has it,
// across growth and however the keys of one client cluster.
import Foundation
import KolomGenerator
import Testing

@testable import KolomStore

@Suite struct RecordKeyTableTests {
  @Test func aRepeatedKeyNamesTheFirstRecordWithIt() {
    let phase = testSchema.index(of: "fase")!
    let date = testSchema.index(of: "datum")!
    var rows = RecordRows(schema: testSchema)
    var table = RecordKeyTable(columns: (phase, date))
    var random = SeededRandom(seed: 3)
    var firstOf: [[Int64]: Int] = [:]
    let clients = (0..<2_000).map { _ in (0..<PseudonymKey.width).map { _ in UInt8.random(in: 0...255, using: &random) }
    }
    // Far more keys than the table's first size, three moments per client, many repeated.
    for n in 0..<20_000 {
      let client = Int.random(in: 0..<clients.count, using: &random)
      var raw = [Int64](repeating: 0, count: testSchema.columns.count)
      raw[phase] = Int64.random(in: 0..<3, using: &random)
      raw[date] = 19_000 + Int64.random(in: 0..<4, using: &random)
      raw.withUnsafeBufferPointer { raw in
        clients[client].withUnsafeBufferPointer { rows.append(raw: raw, nulls: 0, id: $0) }
      }
      let key = [Int64(client), raw[phase], raw[date]]
      let existing = table.insert(rows.count - 1, of: rows)
      #expect(existing == firstOf[key], "record \(n)")
      if existing == nil { firstOf[key] = rows.count - 1 }
    }
    #expect(firstOf.count > 1_000 && firstOf.count < 20_000)
    for (key, row) in firstOf {
      #expect(table.find(table.key(row, of: rows), in: rows) == row, "\(key)")
    }
    var other = clients[0]
    other[15] ^= 1
    let missing = other.withUnsafeBytes { RecordKey(id: $0.baseAddress!, 0, 19_000) }
    #expect(table.find(missing, in: rows) == nil)
  }
}
