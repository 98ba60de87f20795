// Decodes one column chunk from its stored bytes: checksum, LZ4, validity and values.
// The footer entry was validated on open, so sizes here are known to be consistent.

enum ChunkDecoder {
  /// Decodes the stored bytes of a chunk of `rows` rows of `column`.
  static func decode(
    _ stored: [UInt8], info: ChunkInfo, column: ColumnDescriptor, rows: Int, at: FileLocation
  ) throws -> ColumnData {
    let words = try rawWords(stored, info: info, at: at)
    return try words.withUnsafeBufferPointer { buffer in
      try decodeRaw(buffer, info: info, column: column, rows: rows, at: at)
    }
  }

  /// The raw bytes of a chunk (checksum checked, LZ4 undone) as little-endian words.
  static func rawWords(_ stored: [UInt8], info: ChunkInfo, at: FileLocation) throws -> [UInt64] {
    let computed = Checksum.xxh3(stored)
    guard computed == info.checksum else {
      throw FormatError.checksumMismatch(at: at, stored: info.checksum, computed: computed)
    }
    // Words are read whole, so the raw bytes live in a word buffer.
    // Only the last word can be partly unwritten; zeroing the rest would be a wasted pass.
    let wordCount = (info.rawLength + 7) / 8
    var words = [UInt64](unsafeUninitializedCapacity: wordCount) { buffer, initialized in
      if wordCount > 0 { buffer[wordCount - 1] = 0 }
      initialized = wordCount
    }
    let ok = words.withUnsafeMutableBytes { out in
      stored.withUnsafeBytes { src in
        switch info.codec {
        case .none:
          // Every raw byte must come from the file (the rest of the buffer is uninitialized).
          guard src.count == info.rawLength else { return false }
          out.copyMemory(from: src)
          return true
        case .lz4Block:
          return LZ4Block.decompress(src, rawCount: info.rawLength, into: out)
        }
      }
    }
    guard ok else { throw FormatError.decompressionFailed(at: at, expected: info.rawLength) }
    return words
  }

  private static func decodeRaw(
    _ raw: UnsafeBufferPointer<UInt64>, info: ChunkInfo, column: ColumnDescriptor, rows: Int,
    at: FileLocation
  ) throws -> ColumnData {
    let (validity, values) = try split(raw, info: info, rows: rows, at: at)
    let stored = rows - info.statistics.nullCount
    switch column.kind {
    case .bytes:
      let width = column.byteWidth
      let dense =
        info.encoding == .runs
        ? try Runs.expand(values, count: stored, runs: Int(info.base), width: width, at: at)
        : Array(UnsafeRawBufferPointer(values).prefix(stored * width))
      return ColumnData(.bytes(scatter(dense, width: width, validity: validity), width: width), validity: validity)
    case .bool:
      let dense =
        info.bitWidth == 0
        ? Bitmap(count: stored, value: info.base == 1)
        : Bitmap(words: Array(values.prefix(Bitmap.wordCount(stored))), count: stored)
      guard dense.trueCount == info.statistics.trueCount else {
        throw FormatError.inconsistent(at: at, detail: "bool values disagree with the footer's true count")
      }
      return ColumnData(.booleans(scatter(dense, validity: validity)), validity: validity)
    case .int, .code, .date:
      let (dense, highest) = decodeIntegers(values, info: info, count: stored)
      // Bit-packed codes are bounded by the unpacking itself: base + the largest offset.
      let codeCount = UInt64(column.codeCount)
      let bounded = highest.map { info.base >= 0 && $0 < codeCount && UInt64(info.base) + $0 < codeCount } ?? false
      if column.kind == .code && !bounded { try checkCodes(dense, count: column.codeCount, at: at) }
      return ColumnData(.integers(scatter(dense, validity: validity)), validity: validity)
    }
  }

  /// The validity bitmap at the start of the raw words (checked against the footer's
  /// null count), if the chunk has one, and the words of the values after it.
  static func split(_ raw: UnsafeBufferPointer<UInt64>, info: ChunkInfo, rows: Int, at: FileLocation) throws
    -> (validity: Bitmap?, values: UnsafeBufferPointer<UInt64>)
  {
    guard info.hasValidity else { return (nil, raw) }
    let count = Bitmap.wordCount(rows)
    let validity = Bitmap(words: Array(raw[0..<count]), count: rows)
    guard rows - validity.trueCount == info.statistics.nullCount else {
      throw FormatError.inconsistent(
        at: at,
        detail: "validity bitmap has \(rows - validity.trueCount) nulls, footer says \(info.statistics.nullCount)")
    }
    return (validity, UnsafeBufferPointer(rebasing: raw[count...]))
  }

  /// The values, and for bit-packed ones the largest offset over the base (nil: not bounded).
  private static func decodeIntegers(_ values: UnsafeBufferPointer<UInt64>, info: ChunkInfo, count: Int)
    -> ([Int64], UInt64?)
  {
    var highest: UInt64? = nil
    let decoded = [Int64](unsafeUninitializedCapacity: count) { out, initialized in
      switch info.encoding {
      case .plain:
        for i in 0..<count { out[i] = Int64(bitPattern: UInt64(littleEndian: values[i])) }
      case .bitpackFOR:
        highest = BitPacking.unpack(values, count: count, width: info.bitWidth, base: info.base, into: out)
      case .runs:
        preconditionFailure("RUNS for an integer chunk passed the footer check")
      }
      initialized = count
    }
    return (decoded, highest)
  }

  /// Dense non-null values spread over their rows; null rows get 0.
  private static func scatter(_ dense: [Int64], validity: Bitmap?) -> [Int64] {
    guard let validity else { return dense }
    var out = [Int64](repeating: 0, count: validity.count)
    // Word by word: each set bit takes the next dense value.
    out.withUnsafeMutableBufferPointer { out in
      dense.withUnsafeBufferPointer { dense in
        validity.words.withUnsafeBufferPointer { words in
          var next = 0
          for w in 0..<words.count {
            var word = words[w]
            while word != 0 {
              let row = w << 6 | word.trailingZeroBitCount
              if next < dense.count { out[row] = dense[next] }
              next += 1
              word &= word &- 1
            }
          }
        }
      }
    }
    return out
  }

  static func scatter(_ dense: Bitmap, validity: Bitmap?) -> Bitmap {
    guard let validity else { return dense }
    var out = Bitmap(count: validity.count)
    var next = 0
    for row in 0..<validity.count where validity[row] {
      if dense[next] { out[row] = true }
      next += 1
    }
    return out
  }

  private static func scatter(_ dense: [UInt8], width: Int, validity: Bitmap?) -> [UInt8] {
    guard let validity else { return dense }
    var out = [UInt8](repeating: 0, count: validity.count * width)
    var next = 0
    for row in 0..<validity.count where validity[row] {
      out[(row * width)..<(row * width + width)] = dense[(next * width)..<(next * width + width)]
      next += 1
    }
    return out
  }

  /// Code columns index arrays downstream, so a value outside the code list is an
  /// error here, though the checksum matched (a crafted file).
  private static func checkCodes(_ codes: [Int64], count: Int, at: FileLocation) throws {
    let limit = UInt64(count)
    var outside = 0
    codes.withUnsafeBufferPointer { p in
      for v in p where UInt64(bitPattern: v) >= limit { outside &+= 1 }
    }
    guard outside == 0 else {
      let row = codes.firstIndex { UInt64(bitPattern: $0) >= limit }!
      throw FormatError.inconsistent(at: at, detail: "row \(row) holds code \(codes[row]), outside 0..<\(count)")
    }
  }
}
