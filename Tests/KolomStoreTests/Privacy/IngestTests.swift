// Ingest: every validation rule with its message and position, all problems of a file
// in one run, duplicates within the file and against the store, NDJSON, and a round
// trip of generated deliveries. No message holds a client number.
import Foundation
import Testing

@testable import KolomStore

@Suite struct IngestTests {
  /// The header and one valid afsluiting record of a generated delivery, as fields.
  private func template() -> (header: [String], record: [String]) {
    let lines = deliveryCSV(60).text.split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let record = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
      .first { $0[header.firstIndex(of: "fase")!] == "afsluiting" }!
    return (header, record)
  }

  /// A CSV of `header` and the template record changed by each of `edits` (one record per edit).
  private func csv(_ edits: [[String: String]], header: [String]? = nil) -> String {
    let (templateHeader, record) = template()
    let header = header ?? templateHeader
    var lines = [header.joined(separator: ",")]
    for (n, edit) in edits.enumerated() {
      var fields = record
      // Each record its own client, so none is a duplicate unless asked.
      fields[templateHeader.firstIndex(of: "clientnummer")!] = "JZ01-00000000\(String(format: "%04d", n))"
      for (column, value) in edit { fields[templateHeader.firstIndex(of: column)!] = value }
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func column(_ name: String) -> Int { template().header.firstIndex(of: name)! + 1 }

  @Test func everyRuleIsReportedWithItsPlaceAllInOneRun() throws {
    let store = try makeStore(InMemoryFileSystem())
    let text = csv([
      [:],
      ["geslacht": ""],
      ["regio": "JZ99"],
      ["problematiek_jeugdige": "adhd;adhdd"],
      ["datum_aanmelding": "2024-13-01"],
      ["datum_afsluiting": "2023-02-29"],
      ["geboortejaar": "2030"],
      ["datum_afsluiting": "2000-01-01"],
      ["datum": "2026-06-02"],
      ["datum": "2015-06-01", "datum_aanmelding": "2015-05-01", "datum_afsluiting": "2015-06-01"],
      ["geboortejaar": "twee"],
      ["clientnummer": ""],
    ])
    let result = try read(text, into: store)
    let got = result.problems.map(\.description)
    let expected = [
      "delivery.csv:3:\(column("geslacht")) geslacht: a value is required",
      "delivery.csv:4:\(column("regio")) regio: unknown code 'JZ99'; did you mean 'JZ09'?",
      "delivery.csv:5:\(column("problematiek_jeugdige")) problematiek_jeugdige: unknown code 'adhdd'; did you mean 'adhd'?",
      "delivery.csv:6:\(column("datum_aanmelding")) datum_aanmelding: '2024-13-01' is not a date (YYYY-MM-DD that exists)",
      "delivery.csv:7:\(column("datum_afsluiting")) datum_afsluiting: '2023-02-29' is not a date (YYYY-MM-DD that exists)",
    ]
    #expect(Array(got.prefix(5)) == expected)
    #expect(
      got.contains {
        $0.hasPrefix("delivery.csv:8:\(column("geboortejaar")) geboortejaar: 2030 is after the year of the record date")
      })
    #expect(
      got.contains {
        $0.hasPrefix(
          "delivery.csv:9:\(column("datum_afsluiting")) datum_afsluiting: 2000-01-01 is before the registration")
      })
    #expect(
      got.contains("delivery.csv:10:\(column("datum")) datum: 2026-06-02 is after today (2026-06-01, Europe/Amsterdam)")
    )
    #expect(
      got.contains(
        "delivery.csv:11:\(column("datum")) datum: 2015-06-01 is in 2015, which expired at 2025-01-01 00:00 (Europe/Amsterdam) under the 10-year retention period"
      ))
    #expect(got.contains("delivery.csv:12:\(column("geboortejaar")) geboortejaar: 'twee' is not a whole number"))
    #expect(got.contains("delivery.csv:13:\(column("clientnummer")) clientnummer: a value is required"))
    // Only the first record is valid; every bad one is set aside with its text.
    #expect(result.validCount == 1)
    #expect(result.rejected.map(\.line) == Array(3...13))
    #expect(result.recordCount == 12)
  }

  @Test func aRepeatedBadValueIsReportedOnEveryLine() throws {
    // Consecutive records share most fields, and ingest reuses an equal field's value:
    // never a bad one.
    let store = try makeStore(InMemoryFileSystem())
    let result = try read(csv([[:], ["regio": "JZ99"], ["regio": "JZ99"], [:], ["regio": "JZ99"]]), into: store)
    #expect(result.problems.map(\.line) == [3, 4, 6])
    #expect(result.validCount == 2)
  }

  @Test func headerProblemsRejectEveryRecord() throws {
    let store = try makeStore(InMemoryFileSystem())
    var header = template().header
    header[header.firstIndex(of: "regio")!] = "regoi"
    let result = try read(csv([[:], [:]], header: header), into: store)
    #expect(
      result.problems.map(\.description).contains(
        "delivery.csv:1:\(column("regio")) regoi: unknown column; did you mean 'regio'?"))
    #expect(result.problems.map(\.description).contains { $0.contains("regio: required column is missing") })
    #expect(result.validCount == 0 && result.rejected.count == 2)
  }

  /// An empty file is mapped as bytes without an address: a CSV one lacks its header,
  /// an NDJSON one holds no records; neither stores anything.
  @Test func anEmptyFileIsReportedNotACrash() throws {
    let store = try makeStore(InMemoryFileSystem())
    let ingest = try Ingest(store: store, key: testKey())
    let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    let csv = try ingest.read(empty, file: "empty.csv", format: .csv)
    #expect(
      csv.problems.map(\.description) == ["empty.csv:1:1 header: the file is empty; a header row is required"])
    let ndjson = try ingest.read(empty, file: "empty.ndjson", format: .ndjson)
    #expect(ndjson.problems.isEmpty && ndjson.validCount == 0)
  }

  /// A value meant for the terminal (an escape sequence) is shown, not obeyed.
  @Test func controlCharactersInAProblemAreShownEscaped() throws {
    let store = try makeStore(InMemoryFileSystem())
    let result = try read(csv([["regio": "\u{1B}[31mJZ\u{7F}"]]), into: store)
    #expect(
      result.problems.map(\.description) == [
        "delivery.csv:2:\(column("regio")) regio: unknown code '\\x1b[31mJZ\\x7f'"
      ])
  }

  @Test func aRecordWithTheWrongNumberOfFieldsOrABrokenQuoteIsReported() throws {
    let store = try makeStore(InMemoryFileSystem())
    let good = csv([[:]])
    let result = try read(good + "JZ01-1,aanmelding\n", into: store)
    #expect(
      result.problems.map(\.description) == [
        "delivery.csv:3:3 record: has 2 fields, the header \(template().header.count)"
      ])
    let quoted = try read(good + "\"JZ01-2,aanmelding\n", into: store)
    #expect(quoted.problems.map(\.description) == ["delivery.csv:3:1 record: a quoted field is not closed"])
  }

  @Test func duplicatesWithinTheFileAndAgainstTheStoreAreFound() throws {
    let store = try makeStore(InMemoryFileSystem())
    let delivery = deliveryCSV(300)
    try ingest(delivery.text, into: store)
    let lines = delivery.text.split(separator: "\n")
    let again = [String(lines[0]), String(lines[5]), String(lines[5])].joined(separator: "\n") + "\n"
    let result = try read(again, into: store)
    let messages = result.problems.map(\.description)
    #expect(messages.count == 2, "\(messages)")
    #expect(messages.contains { $0.hasPrefix("delivery.csv:3:1 clientnummer: duplicate of line 2") })
    #expect(
      messages.contains("delivery.csv:2:1 clientnummer: duplicate of a stored record: the same client, fase and datum"))
    #expect(result.validCount == 0)
    // No message names the client.
    #expect(!messages.contains { $0.contains(delivery.clients[4]) })
  }

  @Test func aGeneratedDeliveryRoundTripsThroughCSVAndNDJSON() throws {
    for format in [DeliveryFormat.csv, .ndjson] {
      let store = try makeStore(InMemoryFileSystem())
      let delivery = deliveryCSV(500, seed: 9, format: format)
      let result = try read(delivery.text, into: store, file: "d", format: format)
      #expect(result.problems.isEmpty, "\(format): \(result.problems.prefix(3))")
      try Ingest(store: store, key: testKey()).store(result, request: nil)
      let stored = try store.snapshot().records()
      #expect(stored.count == 500)
      // Every value as generated, found under the key's HMAC of the clear number.
      let writer = RecordWriter(schema: testSchema, format: .csv)
      let key = testKey()
      var expected: [String] = []
      var got: [String] = []
      for client in Set(delivery.clients) {
        let records = try store.records(of: key.pseudonym(of: client)!)
        for row in 0..<records.count { got.append(writer.line(records.record(at: row), clientNumber: client)) }
      }
      for line in deliveryCSV(500, seed: 9).text.split(separator: "\n").dropFirst() {
        expected.append(String(line) + "\n")
      }
      #expect(got.sorted() == expected.sorted(), "\(format)")
    }
  }

  @Test func ndjsonProblemsNameTheKeysPlace() throws {
    let store = try makeStore(InMemoryFileSystem())
    let line = deliveryCSV(1, format: .ndjson).text.split(separator: "\n")[0]
    let bad = line.replacingOccurrences(of: "\"urgentie\":\"", with: "\"urgentie\":\"x")
    let text = String(line) + "\n" + bad + "\n{\"regio\": [1]}\nnot json\n[1]\n{\"regio\": \"JZ01\" x}\n{\"regio\":\n"
    let result = try read(text, into: store, file: "d.ndjson", format: .ndjson)
    let messages = result.problems.map(\.description)
    let place = bad.distance(from: bad.startIndex, to: bad.range(of: "\"urgentie\"")!.lowerBound) + 1
    #expect(messages.contains { $0.hasPrefix("d.ndjson:2:\(place) urgentie: unknown code 'x") })
    #expect(messages.contains("d.ndjson:3:2 regio: must be a string, a number, a list of flag names or null"))
    #expect(messages.contains("d.ndjson:4:2 record: is not valid JSON here"))
    #expect(messages.contains("d.ndjson:5:1 record: is JSON but not an object"))
    #expect(messages.contains("d.ndjson:6:18 record: is not valid JSON here"))
    #expect(messages.contains("d.ndjson:7:10 record: is not valid JSON: the line ends inside it"))
    #expect(result.validCount == 1 && result.rejected.map(\.line) == [2, 3, 4, 5, 6, 7])
  }
}

@Suite struct LargeIngestTests {
  /// A file large enough to be read in two parts on two cores: problems keep their
  /// lines, and a duplicate across the parts is found.
  @Test func aLargeFileReadInTwoPartsReportsTheSameAsOnePart() throws {
    let delivery = deliveryCSV(16_000, seed: 21)
    var lines = delivery.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(delivery.text.utf8.count >= 4 << 20)
    let last = lines.count - 2  // the last record (the text ends with a line break)
    lines[last - 1] = lines[3]  // a duplicate of line 4, in the second part
    lines[last] = lines[last].replacingOccurrences(of: ",JZ", with: ",JQ")  // a bad region, near the end
    let text = lines.joined(separator: "\n")
    #expect(Array(text.utf8).withUnsafeBufferPointer { Ingest.halves($0) } != nil)
    let store = try makeStore(InMemoryFileSystem())
    let result = try read(text, into: store)
    #expect(result.recordCount == 16_000)
    let messages = result.problems.map(\.description)
    #expect(
      messages.contains("delivery.csv:\(last):1 clientnummer: duplicate of line 4: the same client, fase and datum"),
      "\(messages)")
    #expect(messages.contains { $0.hasPrefix("delivery.csv:\(last + 1):4 regio: unknown code 'JQ") }, "\(messages)")
    #expect(result.validCount == 16_000 - 2)
    #expect(result.rejected.map(\.line) == [last, last + 1])
    // The same file with a quote somewhere is read again in one part (a quoted field may
    // hold a line break), with the same outcome.
    let quoted = text.replacingOccurrences(
      of: "\n" + lines[1] + "\n",
      with: "\n" + lines[1].replacingOccurrences(of: ",aanmelding,", with: ",\"aanmelding\",") + "\n")
    let whole = try read(quoted, into: store)
    #expect(whole.problems.map(\.description) == messages)
    #expect(whole.validCount == result.validCount)
  }
}
