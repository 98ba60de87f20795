// The query scripts (Scripts/*.test): each query gives its expected rows on the
// hand-written cases, and the same rows as SQLite there and on 20,000 generated
// records; each error block gives its message at the marked place.
import Foundation
import Kolom
import Testing

@Suite struct ScriptTests {
  @Test(arguments: try QueryFixtures.scriptNames())
  func everyBlockOfTheScriptGivesWhatItSays(_ name: String) throws {
    let blocks = try QueryScript.blocks(try QueryFixtures.scriptFile(name))
    #expect(!blocks.isEmpty, "\(name) has no blocks")
    for block in blocks {
      let parameters = block.parameters.mapValues { Value(parsing: $0) }
      switch block.kind {
      case .query(let rowsort):
        try check(block, name: name, rowsort: rowsort, parameters: parameters)
      case .error(let mark):
        checkError(block, name: name, mark: mark, parameters: parameters)
      }
    }
  }

  private func check(_ block: ScriptBlock, name: String, rowsort: Bool, parameters: [String: Value]) throws {
    let where_ = "\(name):\(block.line)"
    let result: ResultSet
    do {
      result = try QueryFixtures.small.query(block.query, parameters: parameters)
    } catch let error as QueryError {
      Issue.record("\(where_): \(error.rendered(in: block.query))")
      return
    }
    let rows = rowsort ? result.canonicalRows.sorted() : result.canonicalRows
    let expected = rowsort ? block.expected.sorted() : block.expected
    #expect(rows == expected, "\(where_): \(block.query)\n got:\n\(rows.joined(separator: "\n"))")
    for pair in [DifferentialPair.small, .large] {
      if let mismatch = try pair.mismatch(block.query, parameters: parameters) {
        Issue.record("\(where_): \(mismatch)")
      }
    }
  }

  private func checkError(_ block: ScriptBlock, name: String, mark: SourceLocationMark?, parameters: [String: Value]) {
    let where_ = "\(name):\(block.line)"
    do {
      _ = try QueryFixtures.small.query(block.query, parameters: parameters)
      Issue.record("\(where_): expected an error from \(block.query)")
    } catch let error as QueryError {
      #expect(error.message == block.expected.joined(separator: "\n"), "\(where_)")
      let at = error.location.map { SourceLocationMark(line: $0.line, column: $0.column) }
      #expect(
        at == mark,
        "\(where_): error at \(at.map(\.description) ?? "no place"), marked at \(mark?.description ?? "none")")
    } catch {
      Issue.record("\(where_): \(error)")
    }
  }
}
