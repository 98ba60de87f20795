// The generator: deterministic, realistic in shape, and never dated outside the
// years retention keeps.
import Foundation
import KolomFormat
import KolomStore
import Testing

@testable import KolomGenerator

@Suite struct CaseGeneratorTests {
  let schema = try! Schema.retMonitor()
  let today = CivilDate(year: 2026, month: 12, day: 3)

  func generate(_ count: Int, seed: UInt64 = 7, batchSize: Int = 1 << 20) throws -> [RecordBatch] {
    let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: today))
    var batches: [RecordBatch] = []
    generator.generate(count: count, batchSize: batchSize) { batches.append($0) }
    return batches
  }

  @Test func sameSeedGivesTheSameRecordsWhateverTheBatchSize() throws {
    let whole = try generate(5_000)
    let pieces = try generate(5_000, batchSize: 777)
    #expect(whole.count == 1 && pieces.count == 7)
    for c in schema.physical.columns.indices {
      let joined = ColumnData.concatenate(pieces.map { $0.columns[c] }, column: schema.physical.columns[c])
      #expect(joined == whole[0].columns[c], "column \(schema.physical.columns[c].name)")
    }
    let other = try generate(5_000, seed: 8)
    #expect(other[0].columns[0] != whole[0].columns[0])
  }

  @Test func recordsHaveTheShapeOfTheMonitor() throws {
    let batch = try generate(30_000)[0]
    #expect(batch.count == 30_000)
    let table = Table(batch)
    // About three records per case.
    let cases = Set(table.ids).count
    let perCase = Double(batch.count) / Double(cases)
    #expect(perCase > 2.5 && perCase < 3.0, "records per case \(perCase)")
    // Dated within the ten years kept at today, and never after it.
    let first = CivilDate(year: 2017, month: 1, day: 1).days
    #expect(table.ints("datum").allSatisfy { $0 >= first && $0 <= today.days })
    // Region is the municipality's region.
    let municipalities = try schema.column(named: "gemeente").type.codeList!
    let regions = try schema.column(named: "regio").type.codeList!
    for (m, r) in zip(table.ints("gemeente"), table.ints("regio")).prefix(2_000) {
      #expect(municipalities[Int(m)].attributes["jeugdregio"] == regions[Int(r)].code)
    }
    // Large cities outnumber the Wadden islands.
    let amsterdam = Int64(municipalities.number(of: "GM0363")!)
    let vlieland = Int64(municipalities.number(of: "GM0096")!)
    let counts = table.ints("gemeente").reduce(into: [:]) { $0[$1, default: 0] += 1 }
    #expect(counts[amsterdam, default: 0] > 20 * counts[vlieland, default: 0])
  }

  @Test func laterValuesAreNullUntilTheirMoment() throws {
    let batch = try generate(20_000)[0]
    let table = Table(batch)
    let phases = table.ints("fase")
    let closure = table.column("datum_afsluiting")
    let registration = table.ints("datum_aanmelding")
    let outcome = table.column("uitkomst")
    for row in 0..<batch.count {
      let closed = phases[row] == 2
      #expect(closure.isNull(row) == !closed && outcome.isNull(row) == !closed, "row \(row)")
      if closed, case .integers(let v) = closure.values { #expect(v[row] > registration[row]) }
    }
  }

  @Test func indicatorPrevalencesRangeFromTwoToFortyPercent() throws {
    let batch = try generate(30_000)[0]
    let (columns, layouts) = schema.physical
    let index = schema.index(of: "problematiek_jeugdige")!
    guard case .flags(let first, let count, nil) = layouts[index] else {
      Issue.record("no flags")
      return
    }
    let shares = (first..<(first + count)).map { c -> Double in
      guard case .booleans(let bits) = batch.columns[c].values else { return -1 }
      return Double(bits.trueCount) / Double(batch.count)
    }
    #expect(shares.max()! > 0.3 && shares.max()! < 0.5, "\(shares)")
    #expect(shares.min()! > 0.005 && shares.min()! < 0.05, "\(shares)")
    #expect(columns[first].name == "problematiek_jeugdige.ggz_psychiatrisch")
  }

  @Test func segmentsOfGeneratedRecordsRoundTrip() throws {
    let batch = try generate(3_000)[0]
    let bytes = batch.inSegmentOrder().encodedSegment(options: WriterOptions(rowGroupSize: 1_000))
    let reader = try SegmentReader(InMemorySegment(bytes))
    try reader.verify()
    let back = try RecordBatch(schema: schema, segment: reader)
    let sorted = batch.inSegmentOrder()
    #expect(back.columns == sorted.columns)
  }
}

/// Column access by schema name for assertions.
struct Table {
  let batch: RecordBatch
  init(_ batch: RecordBatch) { self.batch = batch }

  func column(_ name: String) -> ColumnData {
    guard case .single(let p) = batch.schema.physical.layouts[batch.schema.index(of: name)!] else { fatalError(name) }
    return batch.columns[p]
  }

  func ints(_ name: String) -> [Int64] {
    if case .integers(let v) = column(name).values { return v }
    return []
  }

  var ids: [[UInt8]] {
    guard case .bytes(let b, let w) = column("clientnummer").values else { return [] }
    return (0..<batch.count).map { Array(b[($0 * w)..<($0 * w + w)]) }
  }
}
