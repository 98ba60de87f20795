// A CSV delivery: the header row matched to the schema's columns (unknown, repeated and
// missing columns reported), then every record checked where its bytes lie.
import Foundation

extension IngestReader {
  /// Reads CSV `bytes`: its header, then every record. A file with quotes is read from
  /// a working copy, in which quoted fields are unescaped.
  mutating func readCSV(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "\"")), bytes.count) != nil else {
      readCSV(in: UnsafeMutableBufferPointer(mutating: bytes), source: bytes, nil, unquotes: false)
      return
    }
    let work = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    defer { work.deallocate() }
    _ = work.initialize(from: bytes)
    readCSV(in: work, source: bytes, nil, unquotes: true)
  }

  /// Reads the header of CSV `bytes`, then the records in `records`, where they lie.
  /// Returns false at the first quote (the reader is then of no use): a quoted field
  /// may need unescaping, or hold a line break that a split into parts cut through.
  mutating func readQuoteFreeCSV(_ bytes: UnsafeBufferPointer<UInt8>, records: Range<Int>) -> Bool {
    readCSV(in: UnsafeMutableBufferPointer(mutating: bytes), source: bytes, records, unquotes: false)
  }

  /// Reads `buffer`, a copy of `source`, or `source` itself when not `unquotes`.
  /// Returns false when it stopped at a quote it may not unescape.
  @discardableResult
  private mutating func readCSV(
    in buffer: UnsafeMutableBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>, _ records: Range<Int>?,
    unquotes: Bool
  ) -> Bool {
    var lines = CSVLines(buffer, unquotes: unquotes)
    let columns = schema.columns.count
    // Names past the 1,024th field are read as empty (and reported as unknown).
    let headerBounds = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * 1_024)
    defer { headerBounds.deallocate() }
    guard let head = lines.next(into: headerBounds) else {
      if lines.sawQuote { return false }
      report(
        IngestProblem(
          file: file, line: 1, column: 1, field: "header", message: "the file is empty; a header row is required"))
      return true
    }
    header = String(decoding: source[head.range], as: UTF8.self)
    let names = (0..<head.fieldCount).map { f in
      f < headerBounds.count / 2
        ? String(decoding: buffer[headerBounds[2 * f]..<headerBounds[2 * f + 1]], as: UTF8.self)
          .trimmingCharacters(in: .whitespaces) : ""
    }
    let (fieldOfColumn, headerProblems) = matchHeader(names)
    for problem in headerProblems { report(problem) }
    if let records { lines.limit(to: records) }
    let positions = fieldOfColumn.map { ($0 ?? 0) + 1 }
    let values = UnsafeBufferPointer(buffer)
    RecordScratch.with(columns: columns) { scratch in
      let bounds = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * names.count)
      defer { bounds.deallocate() }
      while let record = lines.next(into: bounds) {
        let line = record.line + lineOffset
        recordCount += 1
        if recordCount & 0xFFFF == 0 { progress?(recordCount, lines.at) }
        if !headerProblems.isEmpty {
          rejected.append((line, String(decoding: source[record.range], as: UTF8.self), headerProblems))
          continue
        }
        if record.fieldCount != names.count {
          let problem = IngestProblem(
            file: file, line: line, column: min(record.fieldCount, names.count) + 1, field: "record",
            message: "has \(record.fieldCount) fields, the header \(names.count)")
          reject(line: line, text: String(decoding: source[record.range], as: UTF8.self), [problem])
          continue
        }
        for c in 0..<columns {
          if let f = fieldOfColumn[c] {
            (scratch.fields[2 * c], scratch.fields[2 * c + 1]) = (bounds[2 * f], bounds[2 * f + 1])
          } else {
            scratch.fields[2 * c] = -1
          }
        }
        check(
          scratch, values: values, reuse: true, positions: positions, line: line, source: source, range: record.range)
      }
    }
    if lines.sawQuote { return false }
    if let error = lines.error {
      report(
        IngestProblem(file: file, line: error.line + lineOffset, column: 1, field: "record", message: error.message))
    }
    return true
  }

  /// The header's field for each schema column (nil: not delivered), and the header's
  /// problems: unknown and repeated columns, required columns missing.
  private func matchHeader(_ names: [String]) -> (fieldOfColumn: [Int?], problems: [IngestProblem]) {
    var fieldOfColumn = [Int?](repeating: nil, count: schema.columns.count)
    var problems: [IngestProblem] = []
    for (f, name) in names.enumerated() {
      if let c = schema.index(of: name) {
        if fieldOfColumn[c] != nil {
          problems.append(
            IngestProblem(file: file, line: 1, column: f + 1, field: name, message: "the column appears twice"))
        }
        fieldOfColumn[c] = f
      } else {
        problems.append(IngestProblem(file: file, line: 1, column: f + 1, field: name, message: unknownColumn(name)))
      }
    }
    for (c, column) in schema.columns.enumerated() where fieldOfColumn[c] == nil && !column.isNullable {
      problems.append(
        IngestProblem(
          file: file, line: 1, column: names.count + 1, field: column.name, message: "required column is missing"))
    }
    return (fieldOfColumn, problems)
  }

  /// The message for a name that is not a column, with the nearest column's name.
  func unknownColumn(_ name: String) -> String {
    "unknown column"
      + (Suggestion.nearest(to: name, among: schema.columns.map(\.name)).map { "; did you mean '\($0)'?" } ?? "")
  }
}
