// SegmentReader: opens a segment (trailer, then footer: fixed tables, no parsing)
// and decodes column chunks on demand, verifying every checksum.

/// A validated, open segment file.
public struct SegmentReader: Sendable {
  /// The file's footer: columns, row groups, chunk entries and statistics.
  public let footer: Footer
  /// The major and minor version the file was written with.
  public let version: (major: UInt16, minor: UInt16)
  /// Where the footer starts (the end of the chunks).
  public let footerOffset: Int
  /// The size of the file.
  public let fileSize: Int
  private let source: any SegmentSource

  /// Opens `source`: reads and checks the header, the trailer and the footer.
  /// Throws `FormatError` for every malformed input.
  public init(_ source: any SegmentSource) throws {
    let size = source.size
    let minimum = Layout.headerSize + Layout.trailerSize
    guard size >= minimum else { throw FormatError.truncated(size: size, needed: minimum) }
    let header = ByteReader(try source.read(offset: 0, count: Layout.headerSize))
    guard Array(header.slice(0, 8)) == Layout.magic else { throw FormatError.badMagic(at: .header) }
    let trailer = ByteReader(try source.read(offset: size - Layout.trailerSize, count: Layout.trailerSize))
    // A good header without a trailer is a file cut short (or never finished).
    guard Array(trailer.slice(24, 8)) == Layout.magic else { throw FormatError.truncated(size: size, needed: size + 1) }
    let major = trailer.u16(12)
    guard major <= Layout.majorVersion, major >= 1, header.u16(8) == major else {
      throw FormatError.unsupportedVersion(
        found: Swift.max(major, header.u16(8)), highestSupported: Layout.majorVersion)
    }
    let footerOffset = trailer.u64(0)
    let footerLength = UInt64(trailer.u32(8))
    let bodyLimit = UInt64(size - Layout.trailerSize)
    guard footerOffset >= UInt64(Layout.headerSize), footerOffset <= bodyLimit,
      footerLength <= bodyLimit - footerOffset
    else {
      throw FormatError.outOfBounds(at: .trailer, offset: footerOffset, length: footerLength, limit: bodyLimit)
    }
    guard footerLength <= UInt64(Layout.maxFooterBytes) else {
      throw FormatError.limitExceeded(
        at: .footer, what: "footer length", value: footerLength, limit: UInt64(Layout.maxFooterBytes))
    }
    let footerBytes = try source.read(offset: Int(footerOffset), count: Int(footerLength))
    let computed = Checksum.xxh3(footerBytes)
    guard computed == trailer.u64(16) else {
      throw FormatError.checksumMismatch(at: .footer, stored: trailer.u64(16), computed: computed)
    }
    self.footer = try Footer.decode(footerBytes, bodyEnd: footerOffset)
    self.version = (major, trailer.u16(14))
    self.footerOffset = Int(footerOffset)
    self.fileSize = size
    self.source = source
  }

  /// The values of `column` in row group `rowGroup`, after checking its checksum.
  /// - Complexity: O(rows in the group).
  public func read(rowGroup: Int, column: Int) throws -> ColumnData {
    let chunk = self.chunk(rowGroup, column)
    return try ChunkDecoder.decode(
      try stored(chunk.info), info: chunk.info, column: chunk.column, rows: chunk.rows, at: chunk.at)
  }

  /// A chunk's footer entry, its column, its row group's rows, and its place for errors.
  private func chunk(_ rowGroup: Int, _ column: Int) -> (
    info: ChunkInfo, column: ColumnDescriptor, rows: Int, at: FileLocation
  ) {
    precondition(rowGroup >= 0 && rowGroup < footer.rowGroups.count, "row group \(rowGroup)")
    precondition(column >= 0 && column < footer.columns.count, "column \(column)")
    return (
      footer.chunk(rowGroup: rowGroup, column: column), footer.columns[column], footer.rowGroups[rowGroup].rowCount,
      .chunk(rowGroup: rowGroup, column: column)
    )
  }

  /// A chunk's stored bytes.
  private func stored(_ info: ChunkInfo) throws -> [UInt8] {
    try source.read(offset: Int(info.offset), count: info.storedLength)
  }

  /// The rows of `column` in `rowGroup` whose value `accept` takes (null rows are not),
  /// and the column's validity, when the chunk is narrowly bit-packed integers: tested
  /// on the packed values, none materialized. nil for any other chunk; then `read`.
  /// - Complexity: O(rows), plus one `accept` per possible packed value (at most 256).
  public func test(rowGroup: Int, column: Int, accept: (Int64) -> Bool) throws -> (
    matches: Bitmap, validity: Bitmap?
  )? {
    let chunk = self.chunk(rowGroup, column)
    guard ChunkDecoder.isTestable(chunk.info, column: chunk.column) else { return nil }
    return try ChunkDecoder.test(
      try stored(chunk.info), info: chunk.info, column: chunk.column, rows: chunk.rows, at: chunk.at, accept: accept)
  }

  /// The values of `column` in `rowGroup` at the rows of `selection` only (the other
  /// rows hold 0, whatever they store), and the column's validity, when the chunk is
  /// bit-packed integers; nil for any other chunk; then `read`.
  /// - Complexity: O(rows / 64 + selected rows).
  public func read(rowGroup: Int, column: Int, selection: Bitmap) throws -> ColumnData? {
    let chunk = self.chunk(rowGroup, column)
    guard ChunkDecoder.isSelectable(chunk.info, column: chunk.column) else { return nil }
    return try ChunkDecoder.decode(
      try stored(chunk.info), info: chunk.info, column: chunk.column, rows: chunk.rows, selection: selection,
      at: chunk.at)
  }

  /// The chunks of row group `rowGroup` as stored, each checked against its checksum,
  /// for `SegmentWriter.appendEncoded(rows:chunks:)`.
  /// - Complexity: O(stored bytes of the group).
  public func encodedRowGroup(_ rowGroup: Int) throws -> [EncodedChunk] {
    precondition(rowGroup >= 0 && rowGroup < footer.rowGroups.count, "row group \(rowGroup)")
    return try footer.columns.indices.map { column in
      let info = footer.chunk(rowGroup: rowGroup, column: column)
      let stored = try source.read(offset: Int(info.offset), count: info.storedLength)
      let computed = Checksum.xxh3(stored)
      guard computed == info.checksum else {
        throw FormatError.checksumMismatch(
          at: .chunk(rowGroup: rowGroup, column: column), stored: info.checksum, computed: computed)
      }
      return EncodedChunk(info: info, stored: stored)
    }
  }

  /// The values of `column` over the whole file.
  /// - Complexity: O(rows).
  public func readColumn(_ column: Int) throws -> ColumnData {
    let parts = try (0..<footer.rowGroups.count).map { try read(rowGroup: $0, column: column) }
    return ColumnData.concatenate(parts, column: footer.columns[column])
  }
}

extension ColumnData {
  /// The rows of `parts` one after another.
  public static func concatenate(_ parts: [ColumnData], column: ColumnDescriptor) -> ColumnData {
    let rows = parts.reduce(0) { $0 + $1.count }
    var validity: Bitmap? = nil
    if parts.contains(where: { $0.validity != nil }) {
      var bits = Bitmap(count: rows, value: true)
      var row = 0
      for part in parts {
        for i in 0..<part.count where part.isNull(i) { bits[row + i] = false }
        row += part.count
      }
      validity = bits
    }
    switch column.kind {
    case .bytes:
      let bytes = parts.flatMap { if case .bytes(let b, _) = $0.values { b } else { [UInt8]() } }
      return ColumnData(.bytes(bytes, width: column.byteWidth), validity: validity)
    case .bool:
      var bits = Bitmap(count: rows)
      var row = 0
      for part in parts {
        if case .booleans(let b) = part.values { for i in 0..<b.count where b[i] { bits[row + i] = true } }
        row += part.count
      }
      return ColumnData(.booleans(bits), validity: validity)
    case .int, .code, .date:
      let ints = parts.flatMap { if case .integers(let v) = $0.values { v } else { [Int64]() } }
      return ColumnData(.integers(ints), validity: validity)
    }
  }
}
