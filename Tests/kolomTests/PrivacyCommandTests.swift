// The privacy commands end to end: keygen, ingest (all or nothing, --reject), subject
// export, rectify, restrict and erase, log verify. A clear client number put through
// all of them, error paths included, appears nowhere under the store and in no output
// but the export.
import Foundation
import KolomFormat
import Testing

@testable import KolomStore

@Suite(.serialized) struct PrivacyCommandTests {
  static let now = "2026-06-01T12:00:00Z"

  /// A temporary directory with a key and an empty store.
  private func workspace() throws -> (directory: String, store: String, key: String) {
    let directory = try temporaryStore()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = directory + "/store"
    let key = directory + "/key"
    #expect(try kolom(["keygen", key]).status == 0)
    #expect(try kolom(["init", store, "--now", Self.now]).status == 0)
    return (directory, store, key)
  }

  /// Every file under `directory`, path → bytes.
  private func files(_ directory: String) -> [String: Data] {
    var out: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: directory)
    while let name = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = directory + "/" + name
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        out[name] = FileManager.default.contents(atPath: path)
      }
    }
    return out
  }

  private func delivery(_ w: (directory: String, store: String, key: String), records: Int, seed: Int) throws -> String
  {
    let path = w.directory + "/delivery-\(seed).csv"
    let generated = try kolom([
      "generate", "--format", "csv", "--records", String(records), "--seed", String(seed), "--now", Self.now,
      "--output",
      path,
    ])
    #expect(generated.status == 0, "\(generated.error)")
    return path
  }

  @Test func aFileWithABadRecordStoresNothingAndRejectTakesExactlyTheBadOnes() throws {
    let w = try workspace()
    defer { try? FileManager.default.removeItem(atPath: w.directory) }
    let path = try delivery(w, records: 400, seed: 1)
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[10] = lines[10].replacingOccurrences(of: ",JZ", with: ",JX")  // an unknown region
    lines[20] += ",1"  // a field too many
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let before = files(w.store)
    let refused = try kolom(["ingest", w.store, path, "--key", w.key, "--now", Self.now])
    #expect(refused.status == 1)
    #expect(refused.error.contains("nothing from this file was stored"))
    #expect(refused.error.contains("delivery-1.csv:11:"))
    // LOCK holds the pid of the last writer, nothing of the data.
    #expect(
      files(w.store).filter { $0.key != "LOCK" } == before.filter { $0.key != "LOCK" },
      "the refused ingest changed the store")

    // A reject file that cannot be made (inside the store, or over a file) stores nothing.
    let taken = w.directory + "/taken.csv"
    #expect(FileManager.default.createFile(atPath: taken, contents: Data("keep".utf8)))
    for (unusable, message) in [(w.store + "/rejects.csv", "inside the store"), (taken, "a file is already there")] {
      let refused = try kolom(["ingest", w.store, path, "--key", w.key, "--reject", unusable, "--now", Self.now])
      #expect(refused.status == 1 && refused.error.contains(message), "\(refused.error)")
      #expect(files(w.store).filter { $0.key != "LOCK" } == before.filter { $0.key != "LOCK" }, "\(unusable)")
    }
    #expect(FileManager.default.contents(atPath: taken) == Data("keep".utf8))
    // A file that cannot be read, after one that could be stored, stores nothing either.
    let unread = w.directory + "/unread.csv"
    let missing = try kolom([
      "ingest", w.store, path, w.directory + "/missing.csv", "--key", w.key, "--reject", unread, "--now", Self.now,
    ])
    #expect(missing.status == 1 && missing.error.contains("missing.csv"), "\(missing.error)")
    #expect(files(w.store).filter { $0.key != "LOCK" } == before.filter { $0.key != "LOCK" }, "missing.csv")
    #expect(!FileManager.default.fileExists(atPath: unread))

    let rejects = w.directory + "/rejects.csv"
    let stored = try kolom(["ingest", w.store, path, "--key", w.key, "--reject", rejects, "--now", Self.now])
    #expect(stored.status == 0, "\(stored.error)")
    #expect(stored.output.contains("stored 398 of 400 records"), "\(stored.output)")
    let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    try #require(rejected.count == 3)
    #expect(rejected[1].hasPrefix("\(path),11,") && rejected[1].hasSuffix(lines[10]))
    #expect(rejected[2].hasPrefix("\(path),21,") && rejected[2].hasSuffix(lines[20]))
    let mode = try FileManager.default.attributesOfItem(atPath: rejects)[.posixPermissions] as! Int
    #expect(mode == 0o600)
    #expect(try kolom(["log", "verify", w.store]).status == 0)

    // With nothing to reject, no reject file is left behind.
    let clean = try delivery(w, records: 50, seed: 5)
    let none = w.directory + "/none.csv"
    #expect(try kolom(["ingest", w.store, clean, "--key", w.key, "--reject", none, "--now", Self.now]).status == 0)
    #expect(!FileManager.default.fileExists(atPath: none))
  }

  @Test func aClearClientNumberAppearsNowhereButInTheExport() throws {
    let w = try workspace()
    defer { try? FileManager.default.removeItem(atPath: w.directory) }
    let path = try delivery(w, records: 300, seed: 2)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let client = String(text.split(separator: "\n")[1].split(separator: ",")[0])
    var outputs: [String] = []
    func run(_ arguments: [String]) throws -> Int32 {
      let result = try kolom(arguments)
      outputs += [result.output, result.error]
      return result.status
    }
    // A bad record of that client first (every error path names lines, not numbers).
    let bad = w.directory + "/bad.csv"
    let badLine = text.split(separator: "\n")[1].replacingOccurrences(of: "2008", with: "2099")
    try (String(text.split(separator: "\n")[0]) + "\n" + badLine + "\n\(client),x\n").write(
      toFile: bad, atomically: true, encoding: .utf8)
    #expect(try run(["ingest", w.store, bad, "--key", w.key, "--now", Self.now]) == 1)
    #expect(try run(["ingest", w.store, path, "--key", w.key, "--request", "ING-1", "--now", Self.now]) == 0)
    #expect(try run(["ingest", w.store, path, "--key", w.key, "--now", Self.now]) == 1)  // duplicates now
    let subject = ["--client", client, "--key", w.key, "--now", Self.now]
    #expect(try run(["subject", "restrict", w.store, "--request", "DPO-1"] + subject) == 0)
    let restrictedCount = try kolom(["query", w.store, "--format", "csv", "-c", "SELECT count(*) FROM cases"])
    #expect(try run(["subject", "rectify", w.store, "--request", "DPO-2", "--set", "urgentie=crisis"] + subject) == 0)
    #expect(try run(["subject", "rectify", w.store, "--request", "DPO-2", "--set", "urgentie=krisis"] + subject) == 1)
    #expect(try run(["subject", "rectify", w.store, "--request", "DPO-2", "--set", "clientnummer=X"] + subject) == 1)
    let export = w.directory + "/export.json"
    let exported = try kolom(["subject", "export", w.store, "--request", "DPO-3", "--output", export] + subject)
    #expect(exported.status == 0)
    let exportText = try String(contentsOfFile: export, encoding: .utf8)
    #expect(
      exportText.contains(client) && exportText.contains("\"crisis\"") && exportText.contains("\"restricted\": true"))
    #expect(
      try run(["subject", "export", w.store, "--request", "DPO-3", "--output", w.store + "/x.json"] + subject) == 1)
    #expect(try run(["subject", "unrestrict", w.store, "--request", "DPO-4"] + subject) == 0)
    let all = try kolom(["query", w.store, "--format", "csv", "-c", "SELECT count(*) FROM cases"])
    #expect(Int(restrictedCount.output.split(separator: "\n")[1])! < Int(all.output.split(separator: "\n")[1])!)
    #expect(try run(["subject", "erase", w.store, "--request", "DPO-5"] + subject) == 0)
    #expect(try run(["subject", "erase", w.store, "--request", "DPO-5"] + subject) == 0)
    #expect(try run(["log", "verify", w.store]) == 0)
    #expect(try run(["log", "show", w.store]) == 0)

    for output in outputs { #expect(!output.contains(client), "an output names the client: \(output.prefix(200))") }
    for (name, bytes) in files(w.store) {
      #expect(!bytes.withUnsafeBytes { Data($0) }.contains(Data(client.utf8)), "\(name) holds the clear number")
    }
    let store = try Store.open(at: w.store, mode: .reader)
    let pseudonym = try PseudonymKey.load(from: w.key).pseudonym(of: client)!
    #expect(try store.records(of: pseudonym).count == 0)
    for (name, bytes) in files(w.store) {
      #expect(!Data(bytes).contains(Data(pseudonym)), "\(name) still holds the erased pseudonym")
    }
    // Every decompressed chunk of every segment, too.
    for name in files(w.store).keys where name.hasSuffix(".kol") {
      let reader = try SegmentReader(RealFileSystem().openSegment(w.store + "/" + name))
      for g in reader.footer.rowGroups.indices {
        for c in reader.footer.columns.indices {
          guard case .bytes(let raw, _) = try reader.read(rowGroup: g, column: c).values else { continue }
          #expect(
            !Data(raw).contains(Data(client.utf8)) && !Data(raw).contains(Data(pseudonym)), "\(name) (\(g), \(c))")
        }
      }
    }
  }

  @Test func ingestReadsStandardInput() throws {
    let w = try workspace()
    defer { try? FileManager.default.removeItem(atPath: w.directory) }
    let path = try delivery(w, records: 120, seed: 4)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: kolomBinary)
    process.arguments = ["ingest", w.store, "-", "--format", "csv", "--key", w.key, "--now", Self.now]
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(text.hasPrefix("stored 120 of 120 records"), "\(text)")
  }

  @Test func generateWritesToStandardOutputForADashAndAnEmptyFileIsRefusedWithItsName() throws {
    let w = try workspace()
    defer { try? FileManager.default.removeItem(atPath: w.directory) }
    let generated = try kolom(["generate", "--format", "csv", "--records", "5", "--now", Self.now, "--output", "-"])
    #expect(generated.status == 0 && generated.output.split(separator: "\n").count == 6, "\(generated.output)")
    #expect(generated.output.hasPrefix("clientnummer,fase,datum,"))
    let empty = w.directory + "/empty.csv"
    #expect(FileManager.default.createFile(atPath: empty, contents: nil))
    let refused = try kolom(["ingest", w.store, empty, "--key", w.key, "--now", Self.now])
    #expect(refused.status == 1)
    #expect(
      refused.error.contains("\(empty):1:1 header: the file is empty; a header row is required"), "\(refused.error)")
  }

  @Test func theWrongKeyAndAKeyInsideTheStoreAreRefused() throws {
    let w = try workspace()
    defer { try? FileManager.default.removeItem(atPath: w.directory) }
    let path = try delivery(w, records: 50, seed: 3)
    #expect(try kolom(["ingest", w.store, path, "--key", w.key, "--now", Self.now]).status == 0)
    let other = w.directory + "/other-key"
    #expect(try kolom(["keygen", other]).status == 0)
    let wrong = try kolom(["ingest", w.store, path, "--key", other, "--now", Self.now])
    #expect(wrong.status == 1 && wrong.error.contains("is not the store's key"))
    let inside = w.store + "/key"
    #expect(try kolom(["keygen", inside]).status == 0)
    let refused = try kolom(["ingest", w.store, path, "--key", inside, "--now", Self.now])
    #expect(refused.status == 1 && refused.error.contains("inside the store"))
    chmod(other, 0o640)
    #expect(try kolom(["ingest", w.store, path, "--key", other]).error.contains("others may read it"))
  }
}

extension Data {
  func contains(_ needle: Data) -> Bool { range(of: needle) != nil }
}

@Suite struct DeliveryExampleTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/delivery").path

  @Test(arguments: [("csv", 24), ("ndjson", 6)])
  func theExampleDeliveriesAreWhatTheGeneratorWritesAndIngestCleanly(format: String, records: Int) throws {
    let committed = try String(contentsOfFile: "\(Self.examples)/delivery.\(format)", encoding: .utf8)
    let generated = try kolom([
      "generate", "--format", format, "--records", String(records), "--seed", "7", "--now", "2026-06-01T12:00:00Z",
    ])
    #expect(
      generated.output == committed, "examples/delivery/delivery.\(format) differs from what the generator writes")
    let directory = try temporaryStore()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try kolom(["keygen", directory + "/key"]).status == 0)
    #expect(try kolom(["init", directory + "/store", "--now", "2026-06-01T12:00:00Z"]).status == 0)
    let ingested = try kolom([
      "ingest", directory + "/store", "\(Self.examples)/delivery.\(format)", "--key", directory + "/key", "--now",
      "2026-06-01T12:00:00Z",
    ])
    #expect(ingested.status == 0, "\(ingested.error)")
    #expect(ingested.output.hasPrefix("stored \(records) of \(records) records"))
  }
}
