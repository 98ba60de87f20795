// Golden files decode to their expected contents, bad files give their specific
// errors, and the independent Python reader agrees on all of them.
import Foundation
import Testing

@testable import KolomFormat

@Suite(.serialized) struct GoldenFileTests {
  let directory = GoldenFiles.directory

  @Test(.enabled(if: ProcessInfo.processInfo.environment["KOLOM_WRITE_GOLDEN"] == "1"))
  func writeGoldenAndBadFiles() throws {
    var written: [String: [UInt8]] = [:]
    for golden in GoldenFiles.v1 {
      let path = directory.appendingPathComponent("v1/\(golden.name).kol")
      // Golden files are kept forever: never overwrite one that exists.
      if let existing = FileManager.default.contents(atPath: path.path) {
        written[golden.name] = [UInt8](existing)
        continue
      }
      let bytes = GoldenFiles.bytes(of: golden)
      try Data(bytes).write(to: path)
      let json = try JSONSerialization.data(
        withJSONObject: GoldenFiles.expectedJSON(of: golden), options: [.prettyPrinted, .sortedKeys])
      try json.write(to: directory.appendingPathComponent("v1/\(golden.name).json"))
      written[golden.name] = bytes
    }
    var expected: [String: [String: String]] = [:]
    for bad in BadFiles.all(golden: written) {
      try Data(bad.bytes).write(to: directory.appendingPathComponent("bad/\(bad.name)"))
      expected[bad.name] = ["error": bad.error, "how": bad.why]
    }
    let json = try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys])
    try json.write(to: directory.appendingPathComponent("bad/expected.json"))
  }

  @Test func everyGoldenFileDecodesToItsExpectedContents() throws {
    let names = try goldenNames()
    #expect(names.count >= 6)
    for name in names {
      let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("v1/\(name).kol")))
      let expected = try JSONSerialization.jsonObject(
        with: Data(contentsOf: directory.appendingPathComponent("v1/\(name).json")))
      let reader = try SegmentReader(InMemorySegment(bytes))
      try reader.verify()
      #expect(canonical(try decoded(reader)) == canonical(expected), "golden file \(name)")
    }
  }

  @Test func goldenFilesAreTheOnesTheirRecipesDescribe() throws {
    // A changed recipe would silently drift from the kept files; compare contents.
    for golden in GoldenFiles.v1 {
      let expected = try JSONSerialization.jsonObject(
        with: Data(contentsOf: directory.appendingPathComponent("v1/\(golden.name).json")))
      #expect(canonical(GoldenFiles.expectedJSON(of: golden)) == canonical(expected), "recipe of \(golden.name)")
    }
  }

  @Test func everyBadFileFailsWithItsOwnError() throws {
    let data = try Data(contentsOf: directory.appendingPathComponent("bad/expected.json"))
    let expected = try JSONSerialization.jsonObject(with: data) as! [String: [String: String]]
    #expect(expected.count >= 10)
    for (name, entry) in expected {
      let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("bad/\(name)")))
      do {
        let reader = try SegmentReader(InMemorySegment(bytes))
        for g in reader.footer.rowGroups.indices {
          for c in reader.footer.columns.indices { _ = try reader.read(rowGroup: g, column: c) }
        }
        Issue.record("bad file \(name) was accepted")
      } catch let error as FormatError {
        #expect(error.code == entry["error"], "\(name): \(error)")
        #expect(!error.description.isEmpty)
      }
    }
  }

  @Test func independentPythonReaderAgreesOnEveryFile() throws {
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", directory.deletingLastPathComponent().appendingPathComponent("reader.py").path, "--check",
      directory.path,
    ]
    let output = Pipe()
    python.standardOutput = output
    python.standardError = output
    try python.run()
    python.waitUntilExit()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(python.terminationStatus == 0, "reader.py --check failed:\n\(text)")
    #expect(text.contains(" 0 failed"))
  }

  private func goldenNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("v1").path)
      .filter { $0.hasSuffix(".kol") }.map { String($0.dropLast(4)) }.sorted()
  }

  /// The reader's view of a file in the JSON form of reader.py.
  private func decoded(_ reader: SegmentReader) throws -> [String: Any] {
    let f = reader.footer
    var values: [String: Any] = [:]
    for (c, column) in f.columns.enumerated() {
      let data = try reader.readColumn(c)
      values[column.name] = (0..<data.count).map { GoldenFiles.jsonValue(data, row: $0, kind: column.kind) }
    }
    return [
      "version": [Int(reader.version.major), Int(reader.version.minor)], "rows": f.rowCount,
      "row_groups": f.rowGroups.map(\.rowCount), "values": values,
      "columns": f.columns.map {
        [
          "field_id": $0.fieldID, "name": $0.name, "kind": $0.kind.description, "nullable": $0.isNullable,
          "byte_width": $0.byteWidth, "code_count": $0.codeCount,
        ] as [String: Any]
      },
    ]
  }

  /// JSON text with sorted keys: equal values give equal text.
  private func canonical(_ object: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }
}
