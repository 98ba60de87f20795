// Predicates tested on packed chunks (SegmentReader.test), and chunks decoded at chosen
// rows only, agree with decoding the chunk: every width from 0 to 8 bits, bases below
// and above zero, nulls, partial blocks and row groups that end anywhere; wider chunks
// are not tested in place; a code outside its list is left to decoding, which refuses it.
import Testing

@testable import KolomFormat

@Suite struct ChunkTestTests {
  @Test func aTestOnPackedValuesAgreesWithDecodingThem() throws {
    var rng = SeededRandom(seed: 0x7E57)
    var tested = 0
    for trial in 0..<80 {
      let kind = [ColumnKind.int, .code, .date][trial % 3]
      let span = [1, 2, 3, 4, 7, 9, 17, 33, 64, 100, 200, 256][trial % 12]
      let base: Int64 = kind == .code ? Int64(trial % 5) : Int64.random(in: -500...500, using: &rng)
      let codeCount = kind == .code ? Int(base) + span + trial % 3 : 0
      let column = ColumnDescriptor(
        fieldID: 1, name: "c", kind: kind, isNullable: trial % 2 == 0, codeCount: codeCount)
      let rows = [0, 1, 63, 64, 65, 127, 1000, Int.random(in: 2...5000, using: &rng)][trial % 8]
      let values = (0..<rows).map { _ in base + Int64.random(in: 0..<Int64(span), using: &rng) }
      let validity = column.isNullable ? Bitmap((0..<rows).map { _ in Int.random(in: 0..<4, using: &rng) > 0 }) : nil
      var writer = SegmentWriter(
        columns: [column],
        options: WriterOptions(rowGroupSize: Int.random(in: 1...700, using: &rng), compression: trial % 2 == 0))
      writer.append([ColumnData(.integers(values), validity: validity)])
      let reader = try SegmentReader(InMemorySegment(writer.finish()))

      let threshold = base + Int64.random(in: 0...Int64(span), using: &rng)
      let chosen = Set((0..<span).filter { _ in Bool.random(using: &rng) }.map { base + Int64($0) })
      let predicates: [(Int64) -> Bool] = [{ $0 >= threshold }, { chosen.contains($0) }, { _ in true }]
      for group in reader.footer.rowGroups.indices {
        let decoded = try reader.read(rowGroup: group, column: 0)
        guard case .integers(let ints) = decoded.values else {
          Issue.record("an integer chunk decoded as \(decoded.values)")
          continue
        }
        // Decoded at a few chosen rows only: the same values there, the same validity.
        let selection = Bitmap((0..<ints.count).map { _ in Int.random(in: 0..<5, using: &rng) == 0 })
        let partial = try #require(try reader.read(rowGroup: group, column: 0, selection: selection))
        #expect(partial.validity == decoded.validity, "trial \(trial), group \(group)")
        if case .integers(let some) = partial.values {
          let rows = (0..<ints.count).filter { selection[$0] && !decoded.isNull($0) }
          #expect(rows.map { some[$0] } == rows.map { ints[$0] }, "trial \(trial), group \(group)")
        } else {
          Issue.record("trial \(trial): an integer chunk decoded at rows as \(partial.values)")
        }
        for accept in predicates {
          let result = try #require(try reader.test(rowGroup: group, column: 0, accept: accept))
          #expect(result.validity == decoded.validity, "trial \(trial), group \(group)")
          let expected = (0..<ints.count).map { !decoded.isNull($0) && accept(ints[$0]) }
          #expect((0..<ints.count).map { result.matches[$0] } == expected, "trial \(trial), group \(group)")
          // No bit is set past the last row (counts and ANDs read whole words).
          #expect(result.matches.trueCount == expected.filter { $0 }.count, "trial \(trial), group \(group)")
          tested += 1
        }
      }
    }
    #expect(tested > 500)
  }

  @Test func aWideChunkIsDecodedAtChosenRowsAndAPlainOneIsNot() throws {
    var rng = SeededRandom(seed: 0x5E1)
    let column = ColumnDescriptor(fieldID: 1, name: "d", kind: .date, isNullable: true)
    let values = (0..<3000).map { _ in Int64.random(in: -40_000...40_000, using: &rng) }
    let validity = Bitmap((0..<3000).map { $0 % 7 != 3 })
    for plain in [false, true] {
      var writer = SegmentWriter(columns: [column], options: WriterOptions(plainIntegers: plain))
      writer.append([ColumnData(.integers(values), validity: validity)])
      let reader = try SegmentReader(InMemorySegment(writer.finish()))
      let selection = Bitmap((0..<3000).map { $0 % 11 == 0 || $0 > 2990 })
      let partial = try reader.read(rowGroup: 0, column: 0, selection: selection)
      #expect((partial == nil) == plain)
      if let partial, case .integers(let some) = partial.values {
        for row in 0..<3000 where selection[row] && validity[row] { #expect(some[row] == values[row], "row \(row)") }
      }
    }
  }

  @Test func aChunkWiderThanEightBitsOrPlainIsNotTestedInPlace() throws {
    let column = ColumnDescriptor(fieldID: 1, name: "i", kind: .int)
    for (values, plain) in [((0..<1000).map { Int64($0) }, false), ((0..<100).map { Int64($0) }, true)] {
      var writer = SegmentWriter(columns: [column], options: WriterOptions(plainIntegers: plain))
      writer.append([ColumnData(.integers(values))])
      let reader = try SegmentReader(InMemorySegment(writer.finish()))
      #expect(try reader.test(rowGroup: 0, column: 0) { _ in true } == nil)
    }
  }

  /// A chunk whose descriptor lists fewer codes than it holds (a crafted file): the test
  /// declines, and decoding reports the code outside the list.
  @Test func aCodeOutsideItsListIsLeftToDecodingWhichRefusesIt() throws {
    let wide = ColumnDescriptor(fieldID: 1, name: "k", kind: .code, codeCount: 20)
    var writer = SegmentWriter(columns: [wide])
    writer.append([ColumnData(.integers((0..<300).map { Int64($0 % 20) }))])
    let bytes = writer.finish()
    let info = try SegmentReader(InMemorySegment(bytes)).footer.chunk(rowGroup: 0, column: 0)
    let stored = Array(bytes[Int(info.offset)..<(Int(info.offset) + info.storedLength)])
    let narrow = ColumnDescriptor(fieldID: 1, name: "k", kind: .code, codeCount: 10)
    let at = FileLocation.chunk(rowGroup: 0, column: 0)
    #expect(try ChunkDecoder.test(stored, info: info, column: wide, rows: 300, at: at) { $0 == 3 } != nil)
    #expect(try ChunkDecoder.test(stored, info: info, column: narrow, rows: 300, at: at) { $0 == 3 } == nil)
    #expect(throws: FormatError.self) { try ChunkDecoder.decode(stored, info: info, column: narrow, rows: 300, at: at) }
    let all = Bitmap(count: 300, value: true)
    #expect(try ChunkDecoder.decode(stored, info: info, column: wide, rows: 300, selection: all, at: at) != nil)
    #expect(try ChunkDecoder.decode(stored, info: info, column: narrow, rows: 300, selection: all, at: at) == nil)
  }
}
