// The records of CSV bytes (RFC 4180: quoted fields, doubled quotes, CRLF or LF), each
// with its first line and its byte range. Fields are byte ranges of the buffer, quoted
// ones unescaped in place; nothing is copied.

/// Reads the records of a CSV buffer one by one.
struct CSVLines {
  /// One record: how many fields it has, its first line, and its bytes (without the line break).
  struct Record {
    var fieldCount: Int
    var line: Int
    var range: Range<Int>
  }

  let bytes: UnsafeMutableBufferPointer<UInt8>
  /// Whether quoted fields may be unescaped in `bytes`; when not, reading stops at the
  /// first quote, with `sawQuote` set.
  let unquotes: Bool
  private(set) var sawQuote = false
  /// Where the next record starts.
  private(set) var at = 0
  /// Where reading stops.
  private var end: Int
  private var line = 1
  private(set) var error: (line: Int, message: String)?

  init(_ bytes: UnsafeMutableBufferPointer<UInt8>, unquotes: Bool = true) {
    self.bytes = bytes
    self.unquotes = unquotes
    end = bytes.count
    // A UTF-8 byte-order mark is not part of the first column's name.
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { at = 3 }
  }

  /// Reads on only within `range` (records that start and end in it), after the header.
  mutating func limit(to range: Range<Int>) {
    at = range.lowerBound
    end = range.upperBound
  }

  private static let comma = UInt8(ascii: ",")
  private static let newline = UInt8(ascii: "\n")
  private static let cr = UInt8(ascii: "\r")
  private static let quote = UInt8(ascii: "\"")

  /// The next record, its fields' bounds in `bounds` (start and end of field i at 2i and
  /// 2i + 1; fields past `bounds.count / 2` are counted, not kept). Empty lines are skipped.
  mutating func next(into bounds: UnsafeMutableBufferPointer<Int>) -> Record? {
    let capacity = bounds.count / 2
    // An empty file has no base address, and no record.
    guard let p = bytes.baseAddress else { return nil }
    while at < end && error == nil && !sawQuote {
      let start = at
      let first = line
      var fieldStart = at
      var i = at
      var fields = 0
      func keep(_ from: Int, _ to: Int) {
        if fields < capacity {
          bounds[2 * fields] = from
          bounds[2 * fields + 1] = to
        }
        fields += 1
      }
      while true {
        if i == end {
          // The last record, without a line break.
          keep(fieldStart, i)
          at = end
          return Record(fieldCount: fields, line: first, range: start..<end)
        }
        // Every byte that ends or quotes a field is ',' or at most '"' (0x22): skip eight
        // bytes at a time that hold none.
        while i + 8 <= end {
          let special = Self.specialBytes(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
          if special != 0 {
            i += special.trailingZeroBitCount >> 3
            break
          }
          i += 8
        }
        if i == end { continue }
        let b = p[i]
        if b != Self.comma && b > Self.quote {
          i += 1
        } else if b == Self.comma {
          keep(fieldStart, i)
          i += 1
          fieldStart = i
        } else if b == Self.newline || b == Self.cr {
          let stop = i
          i += (b == Self.cr && i + 1 < end && p[i + 1] == Self.newline) ? 2 : 1
          line += 1
          at = i
          if stop == start { break }  // an empty line
          keep(fieldStart, stop)
          return Record(fieldCount: fields, line: first, range: start..<stop)
        } else if b == Self.quote && !unquotes {
          sawQuote = true
          return nil
        } else if b == Self.quote && i == fieldStart {
          guard let (value, after) = unquote(from: i) else {
            error = (first, "a quoted field is not closed")
            return nil
          }
          i = after
          if i < end && p[i] != Self.comma && p[i] != Self.newline && p[i] != Self.cr {
            error = (line, "text after a closing quote")
            return nil
          }
          keep(value.lowerBound, value.upperBound)
          if i < end && p[i] == Self.comma {
            i += 1
            fieldStart = i
          } else {
            // The quoted field ends the record.
            let stop = i
            if i < end {
              i += (p[i] == Self.cr && i + 1 < end && p[i + 1] == Self.newline) ? 2 : 1
              line += 1
            }
            at = i
            return Record(fieldCount: fields, line: first, range: start..<stop)
          }
        } else {
          i += 1
        }
      }
    }
    return nil
  }

  /// The high bit of every byte of `word` (eight bytes, the first lowest) that is ',' or
  /// below 0x23, exact up to the first such byte (SWAR: bytes above it may be marked too).
  @inline(__always)
  private static func specialBytes(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let commas = word ^ (ones &* UInt64(comma))
    let isComma = (commas &- ones) & ~commas & high
    let isLow = (word &- ones &* 0x23) & ~word & high
    return isComma | isLow
  }

  /// Unescapes the quoted field opening at `open` in place: the range of its value and
  /// the index after its closing quote. Counts the line breaks inside it.
  private mutating func unquote(from open: Int) -> (Range<Int>, Int)? {
    var read = open + 1
    var write = open
    while read < end {
      let b = bytes[read]
      if b == Self.quote {
        if read + 1 < end && bytes[read + 1] == Self.quote {
          bytes[write] = Self.quote
          write += 1
          read += 2
          continue
        }
        return (open..<write, read + 1)
      }
      if b == Self.newline { line += 1 }
      bytes[write] = b
      write += 1
      read += 1
    }
    return nil
  }
}
