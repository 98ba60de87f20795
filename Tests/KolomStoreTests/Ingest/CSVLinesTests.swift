// CSVLines against a plain reference reader on random files: fields, lines and ranges
// agree whatever bytes the fields hold (the scanner skips eight bytes at a time), and a
// reader that may not unescape stops at the first quote.
import Foundation
import KolomGenerator
import Testing

@testable import KolomStore

@Suite struct CSVLinesTests {
  /// One record as the reference reads it.
  struct Expected: Equatable {
    var fields: [[UInt8]]
    var line: Int
  }

  /// Random records whose fields hold letters, digits, separators of flag sets and dates,
  /// blanks, multi-byte UTF-8 and, when `quotes`, quoted fields with commas, doubled
  /// quotes and line breaks; lines end in LF or CRLF, with empty lines between some.
  private func randomFile(_ seed: UInt64, quotes: Bool) -> (bytes: [UInt8], records: [Expected]) {
    var random = SeededRandom(seed: seed)
    let plain: [[UInt8]] = ["a", "Z", "0", "9", "-", ";", "_", " ", "\t", "é", "€", "!", "#"].map { Array($0.utf8) }
    var bytes: [UInt8] = []
    var records: [Expected] = []
    var line = 1
    for _ in 0..<(200 + random.below(300)) {
      var fields: [[UInt8]] = []
      let first = line
      for f in 0..<(1 + random.below(24)) {
        if f > 0 { bytes.append(UInt8(ascii: ",")) }
        var value: [UInt8] = []
        for _ in 0..<random.below(40) { value += plain[random.below(plain.count)] }
        if quotes && random.below(4) == 0 {
          // A quoted field may hold anything; a quote inside is doubled.
          value += Array([",", "\"", "\n", "x"][random.below(4)].utf8)
          bytes.append(UInt8(ascii: "\""))
          for b in value {
            bytes.append(b)
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            if b == UInt8(ascii: "\n") { line += 1 }
          }
          bytes.append(UInt8(ascii: "\""))
        } else {
          bytes += value
        }
        fields.append(value)
      }
      // A record of one empty field is an empty line, which the reader skips.
      if fields != [[]] { records.append(Expected(fields: fields, line: first)) }
      bytes += random.below(2) == 0 ? [0x0A] : [0x0D, 0x0A]
      line += 1
      if random.below(10) == 0 {
        bytes.append(0x0A)
        line += 1
      }
    }
    if random.below(2) == 0, bytes.last == 0x0A {
      // The last record without a line break.
      bytes.removeLast()
      if bytes.last == 0x0D { bytes.removeLast() }
    }
    return (bytes, records)
  }

  private func read(_ bytes: [UInt8], unquotes: Bool = true) -> (records: [Expected], lines: CSVLines) {
    var work = bytes
    return work.withUnsafeMutableBufferPointer { buffer in
      var lines = CSVLines(buffer, unquotes: unquotes)
      var records: [Expected] = []
      let bounds = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
      defer { bounds.deallocate() }
      while let record = lines.next(into: bounds) {
        let fields = (0..<record.fieldCount).map { Array(buffer[bounds[2 * $0]..<bounds[2 * $0 + 1]]) }
        records.append(Expected(fields: fields, line: record.line))
      }
      return (records, lines)
    }
  }

  @Test(arguments: 1...40)
  func fieldsAndLinesAgreeWithAPlainReaderWhateverTheBytes(seed: Int) {
    let (bytes, expected) = randomFile(UInt64(seed), quotes: seed % 2 == 0)
    let (got, lines) = read(bytes)
    #expect(lines.error == nil)
    #expect(got.count == expected.count)
    for (g, e) in zip(got, expected) where g != e {
      Issue.record("seed \(seed), line \(e.line): got \(g.fields.map { String(decoding: $0, as: UTF8.self) })")
      break
    }
  }

  @Test func aReaderThatMayNotUnescapeStopsAtTheFirstQuote() {
    let text = Array("a,b\nc,d\ne,\"f\"\ng,h\n".utf8)
    let (records, lines) = read(text, unquotes: false)
    #expect(records.map(\.line) == [1, 2])
    #expect(lines.sawQuote && lines.error == nil)
    #expect(read(Array("a,b\nc,d\n".utf8), unquotes: false).lines.sawQuote == false)
  }

  @Test func aQuoteThatIsNotClosedIsAnErrorAtItsLine() {
    let (records, lines) = read(Array("a,b\nc,\"d\ne\n".utf8))
    #expect(records.count == 1)
    #expect(lines.error?.line == 2 && lines.error?.message == "a quoted field is not closed")
  }
}

extension SeededRandom {
  /// A number in 0..<bound.
  mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }
}
