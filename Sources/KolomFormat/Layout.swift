// The byte layout of a Kolom segment file, version 1, as named constants.
// format-spec/file-layout.md is the authority; every number here says where it comes from.

/// Constants of the v1 segment layout (format-spec/file-layout.md).
public enum Layout {
  /// `89 4B 4F 4C 0D 0A 1A 0A`: a high byte, "KOL", CR LF, ^Z, LF (PNG-style, so
  /// text-mode transfers and 7-bit channels visibly damage it). Starts and ends a file.
  public static let magic: [UInt8] = [0x89, 0x4B, 0x4F, 0x4C, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The major version this code writes and the highest it reads.
  public static let majorVersion: UInt16 = 1
  /// The minor version this code writes; minors only add optional features.
  public static let minorVersion: UInt16 = 0

  /// Header: magic (8) + major (2) + minor (2) + reserved (4).
  public static let headerSize = 16
  /// Trailer: footer offset (8) + footer length (4) + major (2) + minor (2) + footer checksum (8) + magic (8).
  public static let trailerSize = 32
  /// Footer header: rows (8) + columns (4) + row groups (4) + required (8) + optional (8)
  /// + names length (4) + presence length (4) + created-by (24).
  public static let footerHeaderSize = 64
  /// Column descriptor: field id (4) + kind (1) + flags (1) + width (2) + code count (4)
  /// + name offset (4) + name length (4) + reserved (12).
  public static let columnEntrySize = 32
  /// Row group entry: first row (8) + row count (4) + reserved (4).
  public static let rowGroupEntrySize = 16
  /// Chunk entry: offset (8) + stored (4) + raw (4) + checksum (8) + codec, encoding,
  /// width, flags (4) + null count (4) + base, min, max (24) + true count (4) + presence offset (4).
  public static let chunkEntrySize = 64
  /// Length of the created-by field in the footer header.
  public static let createdBySize = 24
  /// Every chunk and the footer start on a multiple of this.
  public static let alignment = 8

  /// Rows per row group the writer uses unless told otherwise (a u16 in-group index fits).
  public static let defaultRowGroupSize = 65_536

  // Reader caps: a file claiming more is refused before anything is allocated.
  /// Most columns a file may declare.
  public static let maxColumns = 4_096
  /// Most row groups a file may declare.
  public static let maxRowGroups = 1 << 20
  /// Most rows one row group may declare.
  public static let maxRowsPerGroup = 1 << 20
  /// Widest fixed-width bytes column.
  public static let maxByteWidth = 4_096
  /// Largest code domain of a code column (presence bitmap of 8 KiB).
  public static let maxCodeCount = 65_536
  /// Largest decoded (raw) chunk.
  public static let maxRawChunkBytes = 256 << 20
  /// Largest footer.
  public static let maxFooterBytes = 64 << 20
}

/// Feature bits of a segment file (format-spec/compatibility.md). Bits only ever gain meanings.
public enum Features {
  /// Required bit 0: some chunk uses codec 1 (LZ4 block).
  public static let lz4Block: UInt64 = 1 << 0
  /// Required bit 1: some chunk uses encoding 2 (RUNS).
  public static let runs: UInt64 = 1 << 1
  /// Required features this reader understands.
  public static let knownRequired: UInt64 = lz4Block | runs

  /// The required bits a file of `chunks` must set: exactly those it uses.
  static func required(by chunks: [ChunkInfo]) -> UInt64 {
    chunks.reduce(0) { bits, chunk in
      bits | (chunk.codec == .lz4Block ? lz4Block : 0) | (chunk.encoding == .runs ? runs : 0)
    }
  }
}

/// A chunk's codec (format-spec/compression.md). IDs never change meaning.
public enum Codec: UInt8, Sendable, CaseIterable {
  /// Stored bytes are the raw bytes.
  case none = 0
  /// Stored bytes are one LZ4 block (not frame) of the raw bytes.
  case lz4Block = 1
}

/// A chunk's value encoding (format-spec/encodings.md). IDs never change meaning.
public enum Encoding: UInt8, Sendable, CaseIterable {
  /// Fixed width values, little-endian for integers.
  case plain = 0
  /// Value minus base, bit-packed LSB-first into little-endian 64-bit words.
  case bitpackFOR = 1
  /// Fixed-width bytes as runs of equal values: a run-start bitmap, then each run's
  /// value once; the chunk's base holds the number of runs.
  case runs = 2

  /// The name the spec and `kolom inspect` use.
  public var name: String {
    switch self {
    case .plain: "PLAIN"
    case .bitpackFOR: "BITPACK_FOR"
    case .runs: "RUNS"
    }
  }
}
