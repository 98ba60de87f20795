// The raw (decompressed) layout of a column chunk: an optional validity bitmap,
// then the values (format-spec/encodings.md). Both writer and reader size it here.
//
//  validity  8 × ⌈rows / 64⌉ bytes   only when the chunk has nulls; bit set = not null
//  values    the n = rows − nulls non-null values, in row order (nulls take no space):
//            PLAIN bytes:  n × byte width
//            PLAIN int:    n × 8, little-endian two's complement
//            BITPACK_FOR:  8 × ⌈n × bit width / 64⌉ bytes
//            RUNS bytes:   8 × ⌈n / 64⌉ (run starts) + k × byte width, k = runs (the base)

/// Sizes of the parts of a chunk's raw bytes.
enum ChunkLayout {
  /// Bytes of the validity bitmap for `rows` rows.
  static func validityBytes(rows: Int) -> Int { Bitmap.wordCount(rows) * 8 }

  /// Bytes of the values part holding `rows` values, or nil when the encoding does
  /// not apply to the column. `base` is the chunk's base: the run count for RUNS.
  static func valueBytes(
    column: ColumnDescriptor, encoding: Encoding, bitWidth: Int, base: Int64, rows: Int
  ) -> Int? {
    switch (column.kind, encoding) {
    case (.bytes, .plain): rows * column.byteWidth
    case (.bytes, .runs) where (0...Int64(rows)).contains(base) && (base > 0) == (rows > 0):
      Bitmap.wordCount(rows) * 8 + Int(base) * column.byteWidth
    case (.int, .plain), (.date, .plain), (.code, .plain): rows * 8
    case (.int, .bitpackFOR), (.date, .bitpackFOR), (.code, .bitpackFOR):
      BitPacking.wordCount(count: rows, width: bitWidth) * 8
    case (.bool, .bitpackFOR) where bitWidth <= 1:
      BitPacking.wordCount(count: rows, width: bitWidth) * 8
    default: nil
    }
  }

  /// Total raw bytes of a chunk of `rows` rows of which `nulls` are null, or nil when
  /// the encoding does not apply to the column.
  static func rawBytes(
    column: ColumnDescriptor, encoding: Encoding, bitWidth: Int, base: Int64, rows: Int, nulls: Int
  ) -> Int? {
    guard
      let values = valueBytes(column: column, encoding: encoding, bitWidth: bitWidth, base: base, rows: rows - nulls)
    else { return nil }
    return (nulls > 0 ? validityBytes(rows: rows) : 0) + values
  }
}
