// Round trips of every encoding and column kind over random data, through the
// real writer and reader (property tests with fixed seeds).
import Testing

@testable import KolomFormat

@Suite struct RoundTripTests {
  @Test(arguments: ColumnKind.allCases)
  func everyKindRoundTripsOverRandomShapesAndSizes(kind: ColumnKind) throws {
    var rng = SeededRandom(seed: 0xC0FFEE &+ UInt64(kind.rawValue))
    for trial in 0..<40 {
      let rows = [0, 1, 2, 63, 64, 65, 1000, Int.random(in: 0...5000, using: &rng)][trial % 8]
      let nullable = trial % 3 != 0
      let column = ColumnDescriptor.random(kind: kind, nullable: nullable, id: 1, using: &rng)
      let shape = ValueShape.allCases[trial % ValueShape.allCases.count]
      let nullRate = [0.0, 0.1, 1.0, 0.5][trial % 4]
      let data = randomColumn(column, rows: rows, shape: shape, nullRate: nullRate, using: &rng)
      let options = WriterOptions(
        rowGroupSize: Int.random(in: 1...700, using: &rng), compression: trial % 2 == 0,
        plainIntegers: trial % 5 == 0)
      try expectRoundTrip([column], [data], options: options)
    }
  }

  @Test func manyColumnsOfMixedKindsShareRowGroups() throws {
    var rng = SeededRandom(seed: 7)
    let columns = (0..<24).map { i in
      ColumnDescriptor.random(kind: ColumnKind.allCases[i % 5], nullable: i % 2 == 0, id: UInt32(i), using: &rng)
    }
    let data = columns.map { randomColumn($0, rows: 3000, shape: .random, nullRate: 0.2, using: &rng) }
    try expectRoundTrip(columns, data, options: WriterOptions(rowGroupSize: 1024))
  }

  @Test func emptyFileHasColumnsAndNoRowGroups() throws {
    let column = ColumnDescriptor(fieldID: 1, name: "x", kind: .int)
    let bytes = SegmentWriter(columns: [column]).finish()
    let reader = try SegmentReader(InMemorySegment(bytes))
    #expect(reader.footer.rowCount == 0)
    #expect(reader.footer.rowGroups.isEmpty)
    #expect(reader.footer.columns == [column])
  }

  @Test func constantChunksTakeNoValueBytes() throws {
    let ints = ColumnDescriptor(fieldID: 1, name: "i", kind: .int)
    let flags = ColumnDescriptor(fieldID: 2, name: "f", kind: .bool)
    let data = [
      ColumnData(.integers(Array(repeating: -5, count: 100))),
      ColumnData(.booleans(Bitmap(count: 100, value: true))),
    ]
    var writer = SegmentWriter(columns: [ints, flags])
    writer.append(data)
    let reader = try SegmentReader(InMemorySegment(writer.finish()))
    for c in 0..<2 {
      let info = reader.footer.chunk(rowGroup: 0, column: c)
      #expect(info.bitWidth == 0 && info.rawLength == 0 && info.storedLength == 0)
    }
    #expect(try reader.read(rowGroup: 0, column: 0) == data[0])
    #expect(try reader.read(rowGroup: 0, column: 1) == data[1])
    #expect(reader.footer.chunk(rowGroup: 0, column: 1).statistics.trueCount == 100)
  }

  @Test func widestIntegersUseSixtyFourBits() throws {
    let column = ColumnDescriptor(fieldID: 1, name: "w", kind: .int)
    let data = ColumnData(.integers([Int64.min, Int64.max, 0, -1, 1]))
    var writer = SegmentWriter(columns: [column], options: WriterOptions(compression: false))
    writer.append([data])
    let reader = try SegmentReader(InMemorySegment(writer.finish()))
    #expect(reader.footer.chunk(rowGroup: 0, column: 0).bitWidth == 64)
    #expect(try reader.read(rowGroup: 0, column: 0) == data)
  }

  @Test func repeatedBytesAreStoredAsRunsAndUniqueOnesPlain() throws {
    let id = ColumnDescriptor(fieldID: 1, name: "id", kind: .bytes, isNullable: true, byteWidth: 16)
    var rng = SeededRandom(seed: 11)
    let unique = randomColumn(id, rows: 500, shape: .random, nullRate: 0.1, using: &rng)
    let repeated = randomColumn(id, rows: 500, shape: .narrow, nullRate: 0.1, using: &rng)
    for (data, expected) in [(unique, Encoding.plain), (repeated, .runs)] {
      var writer = SegmentWriter(columns: [id], options: WriterOptions(compression: false))
      writer.append([data])
      let reader = try SegmentReader(InMemorySegment(writer.finish()))
      let info = reader.footer.chunk(rowGroup: 0, column: 0)
      #expect(info.encoding == expected)
      #expect((reader.footer.requiredFeatures & Features.runs != 0) == (expected == .runs))
      #expect(normalized(try reader.readColumn(0)) == normalized(data))
    }
  }

  @Test func rowGroupsCopiedEncodedReadBackAsTheyWereWritten() throws {
    var rng = SeededRandom(seed: 21)
    let columns = (0..<5).map { i in
      ColumnDescriptor.random(kind: ColumnKind.allCases[i], nullable: true, id: UInt32(i), using: &rng)
    }
    let data = columns.map { randomColumn($0, rows: 900, shape: .narrow, nullRate: 0.1, using: &rng) }
    var first = SegmentWriter(columns: columns, options: WriterOptions(rowGroupSize: 300))
    first.append(data)
    let source = try SegmentReader(InMemorySegment(first.finish()))
    var copy = SegmentWriter(columns: columns)
    for g in source.footer.rowGroups.indices.reversed() {
      copy.appendEncoded(rows: source.footer.rowGroups[g].rowCount, chunks: try source.encodedRowGroup(g))
    }
    let copied = try SegmentReader(InMemorySegment(copy.finish()))
    try copied.verify()
    #expect(copied.footer.requiredFeatures == source.footer.requiredFeatures)
    for c in columns.indices {
      let expected = (0..<3).reversed().map { data[c].slice(($0 * 300)..<($0 * 300 + 300)) }
      #expect(normalized(try copied.readColumn(c)) == expected.flatMap(normalized))
    }
  }

  @Test func statisticsAreExactAndVerifyAcceptsThem() throws {
    let code = ColumnDescriptor(fieldID: 1, name: "regio", kind: .code, isNullable: true, codeCount: 43)
    let values: [Int64] = [3, 5, 3, 0, 42, 7]
    let validity = Bitmap([true, true, true, false, true, true])
    var writer = SegmentWriter(columns: [code])
    writer.append([ColumnData(.integers(values), validity: validity)])
    let reader = try SegmentReader(InMemorySegment(writer.finish()))
    let stats = reader.footer.chunk(rowGroup: 0, column: 0).statistics
    #expect(stats.nullCount == 1 && stats.min == 3 && stats.max == 42)
    let present = (0..<43).filter { stats.presence![$0] }
    #expect(present == [3, 5, 7, 42])
    try reader.verify()
  }

  private func expectRoundTrip(_ columns: [ColumnDescriptor], _ data: [ColumnData], options: WriterOptions) throws {
    var writer = SegmentWriter(columns: columns, options: options)
    writer.append(data)
    let bytes = writer.finish()
    let reader = try SegmentReader(InMemorySegment(bytes))
    #expect(reader.footer.rowCount == data[0].count)
    #expect(reader.footer.columns == columns)
    for c in columns.indices {
      let decoded = try reader.readColumn(c)
      #expect(normalized(decoded) == normalized(data[c]), "column \(columns[c].name) options \(options)")
    }
    try reader.verify()
  }
}
