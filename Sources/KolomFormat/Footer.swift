// The footer's fixed-size tables in memory: file facts, columns, row groups and
// chunk entries with their exact statistics (format-spec/file-layout.md).

/// Exact statistics of one column chunk (format-spec/statistics.md).
public struct ChunkStatistics: Sendable, Equatable {
  /// Rows that are null.
  public var nullCount: Int
  /// Smallest non-null value; for `.bytes`, the big-endian first 8 bytes as an unsigned
  /// number (bit pattern). 0 when every row is null.
  public var min: Int64
  /// Largest non-null value, as `min`.
  public var max: Int64
  /// Non-null rows that are true (`.bool` only, else 0).
  public var trueCount: Int
  /// For `.code`: bit k set when code k occurs in a non-null row; nil for other kinds.
  public var presence: Bitmap?

  public init(nullCount: Int, min: Int64, max: Int64, trueCount: Int, presence: Bitmap?) {
    self.nullCount = nullCount
    self.min = min
    self.max = max
    self.trueCount = trueCount
    self.presence = presence
  }
}

/// Where a chunk's bytes are and how to decode them.
public struct ChunkInfo: Sendable, Equatable {
  /// Absolute offset of the stored bytes.
  public var offset: UInt64
  /// Length of the stored (possibly compressed) bytes.
  public var storedLength: Int
  /// Length of the raw bytes: validity bitmap plus values.
  public var rawLength: Int
  /// XXH3-64 of the stored bytes.
  public var checksum: UInt64
  public var codec: Codec
  public var encoding: Encoding
  /// Bits per value for BITPACK_FOR, 0 ... 64; 0 for PLAIN.
  public var bitWidth: Int
  /// Whether the raw bytes start with a validity bitmap.
  public var hasValidity: Bool
  /// The frame of reference of BITPACK_FOR, the number of runs of RUNS; 0 for PLAIN.
  public var base: Int64
  public var statistics: ChunkStatistics
}

/// A row group: a horizontal slice of the file.
public struct RowGroupInfo: Sendable, Equatable {
  /// Index of the group's first row in the file.
  public var firstRow: Int
  /// Rows in the group, at least 1.
  public var rowCount: Int
}

/// The decoded footer of a segment file.
public struct Footer: Sendable, Equatable {
  /// Rows in the file.
  public var rowCount: Int
  /// Feature bits a reader must know.
  public var requiredFeatures: UInt64
  /// Feature bits a reader may ignore.
  public var optionalFeatures: UInt64
  /// The writer that made the file ("kolom 0.1.0").
  public var createdBy: String
  public var columns: [ColumnDescriptor]
  public var rowGroups: [RowGroupInfo]
  /// Chunk entries in row-group-major order: `chunks[g * columns.count + c]`.
  public var chunks: [ChunkInfo]

  /// The entry of column `column` in row group `rowGroup`.
  public func chunk(rowGroup: Int, column: Int) -> ChunkInfo {
    chunks[rowGroup * columns.count + column]
  }

  /// Index of the column with `name`, if any.
  public func columnIndex(named name: String) -> Int? {
    columns.firstIndex { $0.name == name }
  }
}
