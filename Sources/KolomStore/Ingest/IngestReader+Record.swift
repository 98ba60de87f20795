// One record checked: each field parsed (the client number pseudonymised, never
// echoed), the cross-field rules, and duplicates within the file; then, after reading,
// duplicates against an earlier part of the file and against the store.
import Foundation

extension IngestReader {
  /// Checks one record, whose fields `scratch.fields` gives as bounds in `values`, and
  /// keeps it when valid; else sets it aside with its text, `range` of `source`.
  /// `reuse`: consecutive records' fields lie in one buffer, so a field equal to the
  /// previous record's keeps its value (a case's records lie side by side and share most).
  mutating func check(
    _ scratch: RecordScratch, values: UnsafeBufferPointer<UInt8>, reuse: Bool, positions: [Int], line: Int,
    source: UnsafeBufferPointer<UInt8>, range: Range<Int>
  ) {
    var bad: [IngestProblem] = []
    func problem(_ c: Int, _ message: String) {
      bad.append(
        IngestProblem(file: file, line: line, column: positions[c], field: schema.columns[c].name, message: message))
    }
    let (raw, fields, last) = (scratch.raw, scratch.fields, scratch.last)
    let base = values.baseAddress
    var nulls: UInt64 = 0
    var parsed: UInt64 = 0
    for c in 0..<raw.count {
      let bit = UInt64(1) << UInt64(c)
      let (start, end) = (fields[2 * c], fields[2 * c + 1])
      guard start >= 0 else {
        nulls |= bit
        raw[c] = 0
        continue
      }
      let length = end - start
      if reuse, lastParsed & bit != 0, last[2 * c + 1] - last[2 * c] == length,
        Self.equal(base! + start, base! + last[2 * c], length)
      {
        nulls |= lastNulls & bit
        parsed |= bit
        continue
      }
      (last[2 * c], last[2 * c + 1]) = (start, end)
      let field = values[start..<end]
      if c == idColumn {
        // Never echo the value: it is a clear client number.
        if ValueText.trimmed(field).isEmpty {
          problem(c, "a value is required")
        } else if key.pseudonym(of: UnsafeBufferPointer(rebasing: field), into: scratch.id.baseAddress!) {
          parsed |= bit
        } else {
          problem(c, "is not a client number (at most 64 characters, no control characters)")
        }
        continue
      }
      var why: ValueProblem?
      if let value = text.raw(field, column: c, problem: &why) {
        raw[c] = value
      } else {
        nulls |= bit
        raw[c] = 0
      }
      if let why { problem(c, why.description) } else { parsed |= bit }
    }
    (lastParsed, lastNulls) = (parsed, nulls)
    if bad.isEmpty {
      let expired = CivilDate.year(ofDays: raw[dateColumn]) < oldestLiveYear
      for (c, message) in rules.check({ nulls >> UInt64($0) & 1 == 0 ? raw[$0] : nil }, expired: expired) {
        problem(c, message)
      }
    }
    if bad.isEmpty {
      rows.append(raw: UnsafeBufferPointer(raw), nulls: nulls, id: UnsafeBufferPointer(scratch.id))
      if let first = keys.insert(rows.count - 1, of: rows) {
        rows.removeLast()
        problem(idColumn, "duplicate of line \(lineOfRow[first]): \(keyNames)")
      } else {
        lineOfRow.append(line)
        rangeOfRow.append(range)
      }
    }
    if !bad.isEmpty { reject(line: line, text: String(decoding: source[range], as: UTF8.self), bad) }
  }

  /// Whether `count` bytes at `a` and `b` are equal: a field is short, so a few word
  /// loads within it, rather than a call, for up to 16 bytes.
  @inline(__always)
  static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    switch count {
    case 0: return true
    case 1...3: return a[0] == b[0] && a[count / 2] == b[count / 2] && a[count - 1] == b[count - 1]
    case 4...8:
      return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
        && x.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
          == y.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    case 9...16:
      return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
        && x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
          == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    default: return memcmp(a, b, count) == 0
    }
  }

  /// Sets aside the valid records whose key `earlier` (an earlier part of the file) holds.
  mutating func rejectDuplicates(of earlier: IngestReader, source: UnsafeBufferPointer<UInt8>) {
    let names = keyNames
    for row in 0..<rows.count {
      if let first = earlier.keys.find(keys.key(row, of: rows), in: earlier.rows) {
        drop(row, "duplicate of line \(earlier.lineOfRow[first]): \(names)", source: source)
      }
    }
  }

  /// Sets aside the valid records whose key the store already holds: one pass over the
  /// keys of the years these records fall in.
  mutating func checkAgainstStore(source: UnsafeBufferPointer<UInt8>) throws {
    guard rows.count > 0, store.manifest.years.contains(where: { $0.rows > 0 }) else { return }
    var years: Set<Int> = []
    var year = Int.min
    for row in 0..<rows.count {
      let next = CivilDate.year(ofDays: rows.value(row, dateColumn) ?? 0)
      if next != year { years.insert(next) }
      year = next
    }
    let (keys, rows) = (self.keys, self.rows)
    var found: [Int] = []
    try store.forEachKey(inYears: years, columns: (idColumn, keyColumns.0, keyColumns.1)) { key in
      if let row = keys.find(key, in: rows) { found.append(row) }
    }
    let message = "duplicate of a stored record: \(keyNames)"
    for row in found.sorted() { drop(row, message, source: source) }
  }

  /// A later part repeats the header problems the first part reported.
  mutating func dropHeaderProblems() {
    let before = problems.count
    problems.removeAll { $0.line == 1 }
    problemCount -= before - problems.count
  }

  /// Sets valid record `row` aside with `message`, unless it already is.
  private mutating func drop(_ row: Int, _ message: String, source: UnsafeBufferPointer<UInt8>) {
    if isDropped.isEmpty { isDropped = [Bool](repeating: false, count: rows.count) }
    guard !isDropped[row] else { return }
    isDropped[row] = true
    let problem = IngestProblem(
      file: file, line: lineOfRow[row], column: 1, field: schema.columns[idColumn].name, message: message)
    reject(line: lineOfRow[row], text: String(decoding: source[rangeOfRow[row]], as: UTF8.self), [problem])
  }
}
