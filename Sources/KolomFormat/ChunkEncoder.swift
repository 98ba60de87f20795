// Encodes one column chunk: exact statistics, the encoding choice, the raw layout
// of ChunkLayout, and LZ4 where it pays.

#if _endian(big)
  #error("KolomFormat copies 64-bit words as stored little-endian bytes; port the copies first")
#endif

/// An encoded chunk: its footer entry and its stored bytes. A writer sets the offset.
public struct EncodedChunk: Sendable {
  public var info: ChunkInfo
  public var stored: [UInt8]
}

enum ChunkEncoder {
  /// Encodes `data` (one row group of `column`).
  static func encode(_ data: ColumnData, column: ColumnDescriptor, options: WriterOptions) -> EncodedChunk {
    precondition(
      column.isNullable || data.validity == nil || data.nullCount == 0, "nulls in non-nullable \(column.name)")
    let validity = data.nullCount > 0 ? data.validity : nil
    let statistics = ChunkStatistics.compute(data, column: column)
    var raw: [UInt8] = []
    if let validity { appendWords(validity.words, to: &raw) }
    var encoding = Encoding.bitpackFOR
    var width = 0
    var base: Int64 = 0
    // Only non-null values are stored, in row order (format-spec/encodings.md).
    let present = validity.map { v in (0..<data.count).filter { v[$0] } }
    switch data.values {
    case .bytes(let bytes, let w):
      precondition(w == column.byteWidth, "width \(w) for \(column.name)")
      var dense: [UInt8] = []
      if let present { for row in present { dense += bytes[(row * w)..<(row * w + w)] } } else { dense = bytes }
      let runs = options.bytesAsRuns ? Runs(dense, width: w) : nil
      if let runs, runs.saves(over: dense.count) {
        encoding = .runs
        base = Int64(runs.count)
        appendWords(runs.starts.words, to: &raw)
        raw += runs.values
      } else {
        encoding = .plain
        raw += dense
      }
    case .booleans(let bits):
      let trueCount = statistics.trueCount
      let nonNull = data.count - statistics.nullCount
      if trueCount == 0 || trueCount == nonNull {
        base = trueCount > 0 ? 1 : 0
      } else {
        width = 1
        appendWords(present.map { rows in Bitmap(rows.map { bits[$0] }).words } ?? bits.words, to: &raw)
      }
    case .integers(let values):
      let stored = present.map { rows in rows.map { values[$0] } } ?? values
      if options.plainIntegers {
        encoding = .plain
        for v in stored { appendWord(UInt64(bitPattern: v), to: &raw) }
      } else {
        base = statistics.nullCount == data.count ? 0 : statistics.min
        width = BitPacking.width(forRange: UInt64(bitPattern: statistics.max &- statistics.min))
        appendWords(BitPacking.pack(stored, base: base, width: width), to: &raw)
      }
    }
    // A bytes column holds identifiers (pseudonyms: random by construction), so the
    // fast compressor is asked first whether LZ4HC could find anything.
    let compressed =
      options.compression
      ? LZ4Block.compressIfWorthwhile(raw, level: options.compressionLevel, probe: column.kind == .bytes) : nil
    let stored = compressed ?? raw
    let info = ChunkInfo(
      offset: 0, storedLength: stored.count, rawLength: raw.count, checksum: Checksum.xxh3(stored),
      codec: compressed == nil ? .none : .lz4Block, encoding: encoding, bitWidth: width,
      hasValidity: validity != nil, base: base, statistics: statistics)
    return EncodedChunk(info: info, stored: stored)
  }

  private static func appendWords(_ words: [UInt64], to raw: inout [UInt8]) {
    let start = raw.count
    raw += repeatElement(0, count: words.count * 8)
    raw.withUnsafeMutableBytes { dst in
      words.withUnsafeBytes { src in
        // The host is little-endian (checked below), so the words are the stored bytes.
        UnsafeMutableRawBufferPointer(rebasing: dst[start...]).copyMemory(from: src)
      }
    }
  }

  private static func appendWord(_ word: UInt64, to raw: inout [UInt8]) {
    for i in 0..<8 { raw.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) }
  }
}

extension ChunkStatistics {
  /// The exact statistics of one chunk's values (format-spec/statistics.md).
  /// - Complexity: O(rows).
  static func compute(_ data: ColumnData, column: ColumnDescriptor) -> ChunkStatistics {
    let nulls = data.nullCount
    var stats = ChunkStatistics(nullCount: nulls, min: 0, max: 0, trueCount: 0, presence: nil)
    let validity = nulls > 0 ? data.validity : nil
    switch data.values {
    case .integers(let values):
      var lo = Int64.max
      var hi = Int64.min
      let codes = column.kind == .code ? column.codeCount : 0
      var seen = [UInt64](repeating: 0, count: Bitmap.wordCount(codes))
      let valid = validity?.words ?? []
      values.withUnsafeBufferPointer { values in
        seen.withUnsafeMutableBufferPointer { seen in
          for (i, v) in values.enumerated() where valid.isEmpty || valid[i >> 6] >> UInt64(i & 63) & 1 == 1 {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            if codes > 0 {
              precondition(v >= 0 && v < Int64(codes), "code \(v) outside \(column.name)'s \(codes) codes")
              seen[Int(v) >> 6] |= 1 << UInt64(v & 63)
            }
          }
        }
      }
      if nulls < data.count { (stats.min, stats.max) = (lo, hi) }
      stats.presence = codes > 0 ? Bitmap(words: seen, count: codes) : nil
    case .booleans(let bits):
      let valid = validity.map { zip(bits.words, $0.words).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount } }
      stats.trueCount = valid ?? bits.trueCount
      if nulls < data.count {
        stats.min = stats.trueCount == data.count - nulls ? 1 : 0
        stats.max = stats.trueCount > 0 ? 1 : 0
      }
    case .bytes(let bytes, let width):
      var lo = UInt64.max
      var hi = UInt64.min
      let valid = validity?.words ?? []
      for row in 0..<data.count where valid.isEmpty || valid[row >> 6] >> UInt64(row & 63) & 1 == 1 {
        let key = prefixKey(bytes, row: row, width: width)
        lo = Swift.min(lo, key)
        hi = Swift.max(hi, key)
      }
      if nulls < data.count { (stats.min, stats.max) = (Int64(bitPattern: lo), Int64(bitPattern: hi)) }
    }
    return stats
  }

  /// The first 8 bytes of a row as a big-endian unsigned number, zero-padded.
  static func prefixKey(_ bytes: [UInt8], row: Int, width: Int) -> UInt64 {
    if width >= 8 {
      return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: row * width, as: UInt64.self).bigEndian }
    }
    var key: UInt64 = 0
    for i in 0..<8 { key = key << 8 | UInt64(i < width ? bytes[row * width + i] : 0) }
    return key
  }
}
