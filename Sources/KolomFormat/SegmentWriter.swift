// SegmentWriter: turns column batches into the bytes of one segment file:
// header, 8-aligned chunks, footer, trailer (format-spec/file-layout.md).

/// Choices a writer makes; none of them changes what a reader decodes.
public struct WriterOptions: Sendable {
  /// Rows per row group; the last group of each appended batch may be shorter.
  public var rowGroupSize: Int
  /// Compress chunks with LZ4 where it saves at least 1/16.
  public var compression: Bool
  /// 0 for LZ4's fast compressor, 1 ... 12 for LZ4HC (same format, smaller, slower).
  /// Level 4 halves the flag columns' size against level 0 at about 2M records/s.
  public var compressionLevel: Int
  /// Store integer columns PLAIN instead of BITPACK_FOR (for tests and golden files).
  public var plainIntegers: Bool
  /// Store bytes columns as RUNS where that is smaller than PLAIN (a pseudonym repeats
  /// on the adjacent records of one case).
  public var bytesAsRuns: Bool
  /// Recorded in the footer; readers may use it to ignore statistics of known-buggy writers.
  public var createdBy: String

  public init(
    rowGroupSize: Int = Layout.defaultRowGroupSize, compression: Bool = true, compressionLevel: Int = 4,
    plainIntegers: Bool = false, bytesAsRuns: Bool = true, createdBy: String = "kolom 0.1.0"
  ) {
    precondition((0...12).contains(compressionLevel), "compression level \(compressionLevel)")
    self.compressionLevel = compressionLevel
    precondition(rowGroupSize >= 1 && rowGroupSize <= Layout.maxRowsPerGroup, "row group size \(rowGroupSize)")
    self.rowGroupSize = rowGroupSize
    self.compression = compression
    self.plainIntegers = plainIntegers
    self.bytesAsRuns = bytesAsRuns
    self.createdBy = createdBy
  }
}

/// Builds one segment file in memory. Append batches, then `finish()`.
public struct SegmentWriter {
  /// The columns every batch must hold, in order.
  public let columns: [ColumnDescriptor]
  public let options: WriterOptions
  private var body: ByteWriter
  private var rowGroups: [RowGroupInfo] = []
  private var chunks: [ChunkInfo] = []
  private var rowCount = 0

  /// A writer of files with `columns`.
  public init(columns: [ColumnDescriptor], options: WriterOptions = WriterOptions()) {
    precondition(columns.count <= Layout.maxColumns, "\(columns.count) columns")
    self.columns = columns
    self.options = options
    body = ByteWriter()
    body.raw(Layout.magic)
    body.u16(Layout.majorVersion)
    body.u16(Layout.minorVersion)
    body.u32(0)
  }

  /// Appends `batch` (one `ColumnData` per column, equal lengths) as row groups of
  /// `options.rowGroupSize` rows.
  /// - Complexity: O(rows × columns).
  public mutating func append(_ batch: [ColumnData]) {
    precondition(batch.count == columns.count, "batch has \(batch.count) columns, file has \(columns.count)")
    let rows = batch.first?.count ?? 0
    precondition(batch.allSatisfy { $0.count == rows }, "columns of unequal length")
    var start = 0
    while start < rows {
      let end = min(start + options.rowGroupSize, rows)
      appendRowGroup(batch.map { $0.slice(start..<end) })
      start = end
    }
  }

  /// Appends a row group of `rows` rows whose chunks are already encoded, one per
  /// column: copied as they are from a file with the same columns (see
  /// `SegmentReader.encodedRowGroup(_:)`), so nothing is decoded or compressed again.
  /// - Complexity: O(stored bytes).
  public mutating func appendEncoded(rows: Int, chunks encoded: [EncodedChunk]) {
    precondition(encoded.count == columns.count, "\(encoded.count) chunks for \(columns.count) columns")
    precondition(rows >= 1 && rows <= Layout.maxRowsPerGroup, "row group of \(rows) rows")
    appendChunks(encoded, rows: rows)
  }

  private mutating func appendRowGroup(_ group: [ColumnData]) {
    appendChunks(encodeConcurrently(group), rows: group[0].count)
  }

  private mutating func appendChunks(_ encoded: [EncodedChunk], rows: Int) {
    for var chunk in encoded {
      body.align(Layout.alignment)
      chunk.info.offset = UInt64(body.bytes.count)
      body.raw(chunk.stored)
      chunks.append(chunk.info)
    }
    rowGroups.append(RowGroupInfo(firstRow: rowCount, rowCount: rows))
    rowCount += rows
  }

  private func encodeConcurrently(_ group: [ColumnData]) -> [EncodedChunk] {
    let columns = self.columns
    let options = self.options
    return parallelMap(0..<group.count) { c in
      ChunkEncoder.encode(group[c], column: columns[c], options: options)
    }
  }

  /// The complete file: body, footer and trailer.
  public consuming func finish() -> [UInt8] {
    body.align(Layout.alignment)
    let footerOffset = body.bytes.count
    let footer = Footer(
      rowCount: rowCount,
      requiredFeatures: Features.required(by: chunks),
      optionalFeatures: 0, createdBy: options.createdBy, columns: columns, rowGroups: rowGroups,
      chunks: chunks)
    let footerBytes = footer.encoded()
    body.raw(footerBytes)
    body.u64(UInt64(footerOffset))
    body.u32(UInt32(footerBytes.count))
    body.u16(Layout.majorVersion)
    body.u16(Layout.minorVersion)
    body.u64(Checksum.xxh3(footerBytes))
    body.raw(Layout.magic)
    return body.bytes
  }
}
