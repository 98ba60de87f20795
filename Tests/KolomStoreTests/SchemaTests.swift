// The ret-monitor schema as shipped: its code lists, its rules, and that codes only
// ever get appended.
import Foundation
import Testing

@testable import KolomStore

@Suite struct SchemaTests {
  let schema = try! Schema.retMonitor()

  @Test func codeListsHoldTheRegionsAndMunicipalitiesOf2025() throws {
    let regions = try #require(try schema.column(named: "regio").type.codeList)
    let municipalities = try #require(try schema.column(named: "gemeente").type.codeList)
    #expect(regions.count == 42)
    #expect(regions.number(of: "JZ40") == nil)
    #expect(municipalities.count == 342)
    #expect(municipalities.codes.last?.code == "GM1992")
    for code in municipalities.codes {
      #expect(regions.number(of: code.attributes["jeugdregio"] ?? "") != nil, "\(code.code) has no region")
    }
    #expect(municipalities.number(of: "GM0363").map { municipalities[$0].label } == "Amsterdam")
  }

  @Test func specialCategoryColumnsAreMarked() throws {
    let special = schema.columns.filter { $0.sensitivity == .special }.map(\.name)
    #expect(
      special == [
        "problematiek_jeugdige", "leefgebieden_jeugdige", "problematiek_ouders", "leefgebieden_ouders", "eerdere_hulp",
      ])
    let domains = try schema.column(named: "leefgebieden_jeugdige")
    #expect(Set(domains.specialCategories) == ["gezondheid", "financien", "strafrechtelijk", "geloof", "etniciteit"])
    #expect(try schema.column(named: "clientnummer").sensitivity == .personal)
  }

  @Test func codesAreOnlyEverAppended() throws {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/ret-monitor-v1-codes.txt")
    let frozen = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
      .filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ", maxSplits: 1).map(String.init) }
    var lists: [String: CodeList] = [:]
    for column in schema.columns { if let list = column.type.codeList { lists[list.name] = list } }
    var position: [String: Int] = [:]
    for entry in frozen {
      let (name, code) = (entry[0], entry[1])
      let list = try #require(lists[name], "code list \(name) disappeared")
      let at = position[name, default: 0]
      #expect(at < list.count && list[at].code == code, "\(name) position \(at) was \(code)")
      position[name] = at + 1
    }
    for (name, list) in lists {
      for code in list.codes.dropFirst(position[name, default: 0]) {
        #expect(code.since > 1, "\(name) code \(code.code) was added without a newer since")
      }
    }
  }

  @Test func physicalColumnsHaveUniqueFieldIDs() {
    let ids = schema.physical.columns.map(\.fieldID)
    #expect(Set(ids).count == ids.count)
    #expect(schema.physical.columns.count == 97)
    #expect(schema.physical.columns.contains { $0.name == "problematiek_jeugdige.adhd" && $0.kind == .bool })
  }

  @Test func unknownNamesAndCodesSuggestTheNearest() throws {
    #expect(throws: StoreError.unknownColumn("regoi", suggestion: "regio")) { try schema.column(named: "regoi") }
    let regions = try #require(try schema.column(named: "regio").type.codeList)
    #expect(regions.nearest(to: "JZ99") != nil)
    #expect(regions.nearest(to: "jz09") == "JZ09")
    #expect(regions.nearest(to: "completely different") == nil)
  }

  @Test func schemaFilesThatBreakTheRulesAreRefused() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kolom-schema-\(UUID())")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("codes"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    func write(_ name: String, _ text: String) throws {
      try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let columns =
      #"[{"id": 1, "name": "datum", "kind": "date", "phase": "a", "label": "d"},"#
      + #"{"id": 2, "name": "x", "kind": "category", "codes": "x", "phase": "a", "label": "x"}]"#
    try write(
      "schema.json",
      #"{"name": "t", "version": 1, "description": "", "partition_by": "datum", "columns": "# + columns + "}")
    try write("codes/x.csv", "code,label,since\na,A,1\na,again,1\n")
    #expect { try Schema.load(directory: directory.path) } throws: { "\($0)".contains("appears twice") }
    try write("codes/x.csv", "code,label,since\na,A,1\nb,B,2\n")
    #expect { try Schema.load(directory: directory.path) } throws: { "\($0)".contains("version 2") }
    try write("codes/x.csv", "code,label,since\na,A,1\n")
    #expect(try Schema.load(directory: directory.path).columns.count == 2)
  }
}

@Suite struct CSVReaderTests {
  @Test func readsQuotesDoubledQuotesAndLineEnds() throws {
    let text = "code,label\r\nGM0820,\"Nuenen, Gerwen en Nederwetten\"\n\"a\"\"b\",\"two\nlines\"\n"
    let records = try CSVReader.records(text, file: "t.csv")
    #expect(
      records.map(\.fields) == [
        ["code", "label"], ["GM0820", "Nuenen, Gerwen en Nederwetten"], ["a\"b", "two\nlines"],
      ])
    #expect(records.map(\.line) == [1, 2, 3])
  }

  @Test func anUnclosedQuoteNamesItsLine() {
    #expect(throws: StoreError.malformedCSV(file: "t.csv", line: 2, detail: "quoted field is not closed")) {
      try CSVReader.records("a,b\n\"open,c\n", file: "t.csv")
    }
  }
}

@Suite struct CivilDateTests {
  @Test func daysRoundTripOverFourCenturies() {
    for days in stride(from: Int64(-146_097), through: 146_097, by: 37) {
      #expect(CivilDate(days: days).days == days)
    }
    #expect(CivilDate(days: 0) == CivilDate(year: 1970, month: 1, day: 1))
    #expect(CivilDate(year: 2024, month: 2, day: 29).days == 19_782)
  }

  @Test func isoParsingRefusesImpossibleDates() {
    #expect(CivilDate(iso: "2025-02-28")?.description == "2025-02-28")
    #expect(CivilDate(iso: "2025-02-29") == nil)
    #expect(CivilDate(iso: "2024-13-01") == nil)
    #expect(CivilDate(iso: "24-01-01") == nil)
  }
}
