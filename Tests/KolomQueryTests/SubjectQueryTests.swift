// The subject's rights as analyses see them (retention-erasure.md §3, tests 13 and 17):
// a restricted client is left out of every query, for every role, and counts again when
// the restriction is lifted; after an erasure by the writer, a reader that had queried
// the client before (its case numbers and open segments warm) finds nothing.
import Foundation
import Kolom
import KolomGenerator
import Testing

@testable import KolomStore

@Suite struct SubjectQueryTests {
  private func stores() throws -> (writer: Store, reader: Database, pseudonym: [UInt8]) {
    let fs = InMemoryFileSystem()
    let clock = StoreClock(now: { Instant.parse(QueryFixtures.now)! }, isOverridden: false)
    let writer = try Store.create(at: "/store", schema: QueryFixtures.schemaFiles, fileSystem: fs, clock: clock)
    try writer.append(QueryFixtures.generated)
    let reader = Database(store: try Store.open(at: "/store", mode: .reader, fileSystem: fs, clock: clock))
    // The client with the most records.
    let top = try reader.query(
      "SELECT clientnummer, count(*) AS n FROM cases GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")
    guard case .bytes(let pseudonym) = top.rows[0][0] else { throw CocoaError(.coderValueNotFound) }
    return (writer, reader, pseudonym)
  }

  private func count(_ db: Database, _ sql: String, _ pseudonym: [UInt8], access: AccessContext = .owner) throws
    -> Int64
  {
    try db.query(sql, parameters: ["c": .bytes(pseudonym)], access: access).rows[0][0].int ?? -1
  }

  @Test func aRestrictedClientIsLeftOutOfEveryQueryUntilLifted() throws {
    let (writer, reader, pseudonym) = try stores()
    let one = "SELECT count(*) FROM cases WHERE clientnummer = :c"
    let all = "SELECT count(*) FROM cases"
    let distinct = "SELECT count(DISTINCT clientnummer) FROM cases"
    let mine = try count(reader, one, pseudonym)
    let total = try count(reader, all, pseudonym)
    let clients = try count(reader, distinct, pseudonym)
    #expect(mine >= 2)
    try writer.restrict(pseudonym, request: "DPO-1")
    #expect(try count(reader, one, pseudonym) == 0)
    #expect(try count(reader, all, pseudonym) == total - mine)
    #expect(try count(reader, distinct, pseudonym) == clients - 1)
    #expect(try count(reader, all, pseudonym, access: AccessContext(role: .analyst)) == total - mine)
    #expect(
      try reader.query("SELECT * FROM cases WHERE clientnummer = :c", parameters: ["c": .bytes(pseudonym)]).rows.isEmpty
    )
    // Kept, and still there for the export.
    #expect(try writer.records(of: pseudonym).count == Int(mine))
    try writer.restrict(pseudonym, request: "DPO-2", restricted: false)
    #expect(try count(reader, one, pseudonym) == mine)
    #expect(try count(reader, all, pseudonym) == total)
  }

  @Test func afterAnErasureAWarmReaderFindsNothingOfTheClient() throws {
    let (writer, reader, pseudonym) = try stores()
    let one = "SELECT count(*) FROM cases WHERE clientnummer = :c"
    let total = try count(reader, "SELECT count(*) FROM cases", pseudonym)
    let mine = try count(reader, one, pseudonym)
    _ = try count(reader, "SELECT count(DISTINCT clientnummer) FROM cases", pseudonym)  // numbers every row group
    #expect(mine >= 2)
    try writer.erase(pseudonym, request: "DPO-3")
    #expect(try count(reader, one, pseudonym) == 0)
    #expect(try count(reader, "SELECT count(*) FROM cases", pseudonym) == total - mine)
    #expect(
      try reader.query("SELECT * FROM cases WHERE clientnummer = :c", parameters: ["c": .bytes(pseudonym)]).rows.isEmpty
    )
  }
}

@Suite struct ClientNumberAsTextTests {
  /// Text compared with clientnummer, anywhere in a line of several literals, is refused
  /// and never repeated; the caret still points at its place.
  @Test func aClearClientNumberIsRefusedAndBlankedWhereverItStands() throws {
    let cases = [
      ("SELECT * FROM cases WHERE clientnummer = 'JZ07-1234''56789012'", "clientnummer = '…'"),
      ("SELECT * FROM cases WHERE regio = 'JZ07' AND clientnummer IN (X'00', 'JZ07-123456789012')", "IN (X'…', '…')"),
      ("SELECT * FROM cases WHERE 'JZ07-123456789012' = clientnummer", "WHERE '…' = clientnummer"),
    ]
    for (sql, shown) in cases {
      do {
        _ = try QueryFixtures.large.query(sql)
        Issue.record("no error for \(sql)")
      } catch let error as QueryError {
        #expect(error.holdsClientNumber)
        let rendered = error.rendered(in: sql)
        #expect(!rendered.contains("123456789012") && !rendered.contains("56789012"), "\(rendered)")
        #expect(rendered.contains(shown), "\(rendered)")
        // The caret sits under a character of the blanked line that is where it was.
        let lines = rendered.split(separator: "\n").map(String.init)
        let caret = lines[2].count - 1
        let original = Array(sql)[error.location!.column - 1]
        #expect(Array(lines[1])[caret] == original, "\(rendered)")
      }
    }
  }
}
