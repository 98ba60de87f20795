// The data subject's rights (retention-erasure.md §3, tests 6, 8, 9, 13, 15, 16, 17):
// the erased client's pseudonym (16 random bytes: an incompressible canary) and clear
// number are found nowhere under the store; a crash at any step of erase or rectify
// ends before or after, and a reopen completes an interrupted erase; restriction
// survives compaction; a cross-year rectification is one commit; the export holds
// exactly the client's current records.
import Foundation
import Testing

@testable import KolomStore

@Suite struct SubjectRightsTests {
  /// A store with a delivery of `count` records, and a client of several records spanning
  /// more than one year when there is one.
  private func prepared(_ fs: InMemoryFileSystem, count: Int = 600) throws -> (
    Store, client: String, pseudonym: [UInt8]
  ) {
    let store = try makeStore(fs)
    let delivery = deliveryCSV(count, seed: 5)
    try ingest(delivery.text, into: store)
    let key = testKey()
    // The client with records in the most years, then the most records (from the delivery's text).
    var years: [String: Set<Substring>] = [:]
    var counts: [String: Int] = [:]
    for (line, client) in zip(delivery.text.split(separator: "\n").dropFirst(), delivery.clients) {
      years[client, default: []].insert(line.split(separator: ",")[2].prefix(4))
      counts[client, default: 0] += 1
    }
    let client = counts.keys.sorted().max { (years[$0]!.count, counts[$0]!) < (years[$1]!.count, counts[$1]!) }!
    return (store, client, key.pseudonym(of: client)!)
  }

  private func years(_ batch: RecordBatch) -> Set<Int> { Set(batch.splitByYear().map(\.year)) }

  @Test func eraseLeavesNoByteOfTheClientUnderTheStore() throws {
    let fs = InMemoryFileSystem()
    let (store, client, pseudonym) = try prepared(fs)
    let before = try store.records(of: pseudonym).count
    #expect(before >= 2)
    #expect(!storeContains(fs, pseudonym).isEmpty)  // the canary is findable before
    let total = try store.snapshot().recordCount
    let change = try store.erase(pseudonym, request: "DPO-1")
    #expect(change.recordsBefore.values.reduce(0, +) == before)
    #expect(try store.records(of: pseudonym).count == 0)
    #expect(try store.snapshot().recordCount == total - before)
    #expect(storeContains(fs, pseudonym) == [])
    #expect(storeContains(fs, Array(PseudonymKey.hex(pseudonym).utf8)) == [])
    #expect(storeContains(fs, Array(client.utf8)) == [])
    #expect(store.verify().isClean)
    // Idempotent: a second erase changes nothing but the log.
    let again = try store.erase(pseudonym, request: "DPO-1")
    #expect(again.recordsBefore.isEmpty)
    #expect(try store.verifyLog().problems == [])
  }

  @Test func aCrashAtAnyStepOfEraseEndsBeforeOrAfterAndReopenCompletesIt() throws {
    let base = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(base, count: 200)
    store.close()
    base.releaseLocks()
    let before = try fingerprint(try openStore(base.copy(), mode: .reader))
    let counted = base.copy()
    let counter = FaultInjectingFileSystem(counted)
    try openStore(counter).erase(pseudonym, request: "DPO-2")
    counted.releaseLocks()
    let after = try fingerprint(try openStore(counted, mode: .reader))
    #expect(before != after)
    for step in 0..<counter.steps.count {
      for dropUnsynced in [false, true] {
        let fs = base.copy()
        let faulty = FaultInjectingFileSystem(fs, failingStep: step, with: .crash)
        _ = try? openStore(faulty).erase(pseudonym, request: "DPO-2")
        fs.releaseLocks()
        if dropUnsynced { fs.powerLoss() }
        let reopened = try openStore(fs)
        let state = try fingerprint(reopened)
        let place = "crash at step \(step) (\(faulty.steps.last ?? "")), unsynced dropped: \(dropUnsynced)"
        #expect(state == before || state == after, "\(place)")
        if reopened.manifest.changeLog!.entries > 0 && state == before {
          // Not erased: then the intent was never committed either.
          #expect(reopened.manifest.pendingErasure == nil || reopened.manifest.pendingErasure!.isEmpty, "\(place)")
        }
        if state == after { #expect(storeContains(fs, pseudonym) == [], "\(place)") }
        #expect(reopened.verify().isClean, "\(place)")
        #expect(try reopened.verifyLog().problems == [], "\(place)")
      }
    }
  }

  @Test func aCrashAtAnyStepOfRectifyEndsBeforeOrAfter() throws {
    let base = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(base, count: 200)
    store.close()
    base.releaseLocks()
    let urgency = testSchema.index(of: "urgentie")!
    func rectify(_ s: Store) throws {
      try s.rectify(pseudonym, request: "DPO-3", columns: ["urgentie"]) {
        var v = $0
        v[urgency] = .int(0)
        return v
      }
    }
    func state(_ s: Store) throws -> [String] {
      let records = try s.records(of: pseudonym)
      return try fingerprint(s) + (0..<records.count).map { "\(records.record(at: $0)[urgency]!)" }
    }
    let before = try state(try openStore(base.copy(), mode: .reader))
    let counted = base.copy()
    let counter = FaultInjectingFileSystem(counted)
    try rectify(try openStore(counter))
    counted.releaseLocks()
    let after = try state(try openStore(counted, mode: .reader))
    for step in 0..<counter.steps.count {
      let fs = base.copy()
      _ = try? rectify(try openStore(FaultInjectingFileSystem(fs, failingStep: step, with: .crash)))
      fs.releaseLocks()
      fs.powerLoss()
      let reopened = try openStore(fs)
      let now = try state(reopened)
      #expect(now == before || now == after, "crash at step \(step)")
      #expect(reopened.verify().isClean)
    }
  }

  @Test func anInterruptedEraseIsCompletedOnTheNextOpen() throws {
    let fs = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(fs)
    // The intent committed, then the process died before the rewrite.
    var next = store.manifest
    next.pendingErasure = [PendingErasure(pseudonym: PseudonymKey.hex(pseudonym), request: "DPO-4")]
    next.sequence += 1
    try store.commit(next, Change("erase-requested", request: "DPO-4"))
    // Until then, analyses already leave the client out (the planner reads pending_erasure).
    #expect(store.manifest.pendingErasure?.count == 1)
    store.close()
    fs.releaseLocks()
    let reopened = try openStore(fs)
    #expect(reopened.manifest.pendingErasure == nil || reopened.manifest.pendingErasure == [])
    #expect(try reopened.records(of: pseudonym).count == 0)
    #expect(storeContains(fs, pseudonym) == [])
    #expect(try reopened.logEntries().last!.contains("\"operation\":\"erase\""))
  }

  @Test func aCrossYearRectificationIsOneCommitAndLeavesNoOldValue() throws {
    let fs = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(fs)
    let records = try store.records(of: pseudonym)
    let date = testSchema.index(of: "datum")!
    let registration = testSchema.index(of: "datum_aanmelding")!
    let oldYears = years(records)
    let sequence = store.manifest.sequence
    let entries = store.manifest.changeLog!.entries
    // Move the first record a year later (a record date the RET got wrong).
    guard case .int(let first)? = records.record(at: 0)[date] else { return }
    let target = CivilDate(days: first).year + 1
    let moved = CivilDate(year: target, month: 1, day: 15).days
    try store.rectify(pseudonym, request: "DPO-5", columns: ["datum"]) { values in
      var v = values
      if v[date] == .int(first) {
        v[date] = .int(moved)
        v[registration] = .int(moved)
      }
      return v
    }
    #expect(store.manifest.sequence == sequence + 1)
    #expect(store.manifest.changeLog!.entries == entries + 1)
    let after = try store.records(of: pseudonym)
    #expect(after.count == records.count)
    #expect(years(after).contains(target))
    #expect((0..<after.count).allSatisfy { after.record(at: $0)[date] != .int(first) })
    #expect(oldYears.count >= 1)
    #expect(store.verify().isClean)
    let log = try store.logEntries().last!
    #expect(log.contains("\"operation\":\"rectify\"") && log.contains("\"columns\":[\"datum\"]"))
  }

  @Test func aRectificationThatBreaksARuleIsRefusedAndChangesNothing() throws {
    let fs = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(fs)
    let before = fs.allFiles()
    let registration = testSchema.index(of: "datum_aanmelding")!
    let date = testSchema.index(of: "datum")!
    let geslacht = testSchema.index(of: "geslacht")!
    let cases: [(([FieldValue?]) -> [FieldValue?], String)] = [
      (
        {
          var v = $0
          v[registration] = .int(CivilDate(year: 2026, month: 6, day: 1).days)
          return v
        }, "is after the record date"
      ),
      (
        {
          var v = $0
          v[date] = .int(CivilDate(year: 2027, month: 1, day: 1).days)
          return v
        }, "is after today"
      ),
      (
        {
          var v = $0
          v[geslacht] = nil
          return v
        }, "geslacht: a value is required"
      ),
    ]
    for (correct, message) in cases {
      #expect {
        try store.rectify(pseudonym, request: "DPO-12", columns: ["x"], correct: correct)
      } throws: { error in
        "\(error)".contains(message) && "\(error)".contains("nothing was changed")
      }
    }
    let unchanged = fs.allFiles() == before
    #expect(unchanged, "a refused rectification left files behind")
  }

  @Test func restrictionSurvivesCompactionAndCanBeLifted() throws {
    let fs = InMemoryFileSystem()
    let (store, _, pseudonym) = try prepared(fs)
    try store.restrict(pseudonym, request: "DPO-6")
    #expect(store.isRestricted(pseudonym))
    try ingest(deliveryCSV(200, seed: 77).text, into: store)
    try store.compact()
    store.close()
    fs.releaseLocks()
    let reopened = try openStore(fs)
    #expect(reopened.isRestricted(pseudonym))
    #expect(try reopened.records(of: pseudonym).count > 0)  // kept, and exported
    try reopened.restrict(pseudonym, request: "DPO-7", restricted: false)
    #expect(!reopened.isRestricted(pseudonym))
    #expect(throws: StoreError.noSuchClient) {
      try reopened.restrict(testKey().pseudonym(of: "JZ01-NOBODY")!, request: "DPO-8")
    }
  }

  @Test func theExportHoldsExactlyTheClientsCurrentRecords() throws {
    let fs = InMemoryFileSystem()
    let (store, client, pseudonym) = try prepared(fs, count: 3000)
    let urgency = testSchema.index(of: "urgentie")!
    try store.rectify(pseudonym, request: "DPO-9", columns: ["urgentie"]) {
      var v = $0
      v[urgency] = .int(Int64(testSchema.columns[urgency].type.codeList!.number(of: "crisis")!))
      return v
    }
    try store.restrict(pseudonym, request: "DPO-10")
    let records = try store.records(of: pseudonym)
    let json = SubjectExport.render(
      records, clientNumber: client, request: "DPO-11", restricted: store.isRestricted(pseudonym),
      retention: store.retention, format: .json)
    let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    let exported = parsed["records"] as! [[String: Any]]
    #expect(parsed["restricted"] as? Bool == true)
    #expect(exported.count == records.count && records.count >= 2)
    for record in exported {
      let fields = record["fields"] as! [[String: Any]]
      let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0["column"] as! String, $0["value"]) })
      #expect(byName["clientnummer"] as? String == client)
      #expect(byName["urgentie"] as? String == "crisis")
      #expect(fields.allSatisfy { ($0["label"] as? String)?.isEmpty == false })
      #expect((record["expires"] as? String)?.hasSuffix("(Europe/Amsterdam)") == true)
    }
    let csv = SubjectExport.render(
      records, clientNumber: client, request: "DPO-11", restricted: true, retention: store.retention, format: .csv)
    #expect(csv.split(separator: "\n").count == records.count + 1)
    #expect(csv.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix(client + ",") })
  }
}

@Suite struct ChangeLogTests {
  private func loggedStore(_ fs: InMemoryFileSystem) throws -> (Store, [UInt8]) {
    let store = try makeStore(fs)
    let delivery = deliveryCSV(300, seed: 3)
    try ingest(delivery.text, into: store)
    let pseudonym = testKey().pseudonym(of: delivery.clients[0])!
    try store.restrict(pseudonym, request: "DPO-20")
    try store.erase(pseudonym, request: "DPO-21")
    try store.compact()
    return (store, pseudonym)
  }

  @Test func theLogVerifiesAndHoldsNoPseudonym() throws {
    let fs = InMemoryFileSystem()
    let (store, pseudonym) = try loggedStore(fs)
    let report = try store.verifyLog()
    #expect(report.problems == [])
    let operations = try store.logEntries().map {
      try JSONDecoder().decode(ChangeEntry.self, from: Data($0.utf8)).operation
    }
    #expect(operations.starts(with: ["create", "key", "ingest", "restrict", "erase-requested", "erase"]))
    let log = try store.logEntries().joined()
    #expect(!log.contains(PseudonymKey.hex(pseudonym)))
    for (path, bytes) in fs.allFiles() where path.contains("/log/") {
      #expect(!contains(bytes, pseudonym), "\(path)")
    }
  }

  @Test(arguments: ["edit", "remove", "reorder", "truncate", "append"])
  func tamperingIsDetected(kind: String) throws {
    let fs = InMemoryFileSystem()
    let (store, _) = try loggedStore(fs)
    let log = storePath + "/log/"
    let names = try fs.listDirectory(storePath + "/log")
    #expect(names.count >= 6)
    switch kind {
    case "edit":
      let path = log + names[2]
      let text = String(decoding: try fs.readFile(path), as: UTF8.self)
      try fs.writeFile(path, Array(text.replacingOccurrences(of: "\"ingest\"", with: "\"append\"").utf8))
    case "remove":
      try fs.removeFile(log + names[3])
    case "reorder":
      let (a, b) = (try fs.readFile(log + names[1]), try fs.readFile(log + names[2]))
      try fs.writeFile(log + names[1], b)
      try fs.writeFile(log + names[2], a)
    case "truncate":
      try fs.removeFile(log + names.last!)
    default:
      try fs.writeFile(log + StoreLayout.number(names.count + 1) + ".json", try fs.readFile(log + names.last!))
    }
    let problems = try store.verifyLog().problems
    #expect(!problems.isEmpty, "\(kind) went unnoticed")
  }
}
