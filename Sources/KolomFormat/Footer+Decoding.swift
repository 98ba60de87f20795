// Reads and validates the footer's fixed tables. Nothing is trusted: every count is
// capped before allocation, every offset and length is bounds-checked with overflow
// checks, and every field is checked against format-spec/file-layout.md.

extension Footer {
  /// Decodes the footer `bytes`, taken from a file whose body (header and chunks) ends at `bodyEnd`.
  static func decode(_ bytes: [UInt8], bodyEnd: UInt64) throws -> Footer {
    let r = ByteReader(bytes)
    guard bytes.count >= Layout.footerHeaderSize else {
      throw FormatError.truncated(size: bytes.count, needed: Layout.footerHeaderSize)
    }
    let rowCount = r.u64(0)
    let columnCount = Int(r.u32(8))
    let groupCount = Int(r.u32(12))
    let required = r.u64(16)
    let optional = r.u64(24)
    let namesLength = Int(r.u32(32))
    let presenceLength = Int(r.u32(36))
    guard required & ~Features.knownRequired == 0 else {
      throw FormatError.unknownRequiredFeatures(required & ~Features.knownRequired)
    }
    try checkLimit(columnCount, Layout.maxColumns, "column count")
    try checkLimit(groupCount, Layout.maxRowGroups, "row group count")
    guard presenceLength % 8 == 0 else {
      throw FormatError.invalidField(at: .footer, field: "presence length", value: UInt64(presenceLength))
    }
    // All terms are capped above, so this sum cannot overflow Int.
    let expected =
      Layout.footerHeaderSize + columnCount * Layout.columnEntrySize
      + groupCount * Layout.rowGroupEntrySize + groupCount * columnCount * Layout.chunkEntrySize
      + presenceLength + namesLength
    guard expected == bytes.count else {
      throw FormatError.inconsistent(
        at: .footer, detail: "footer is \(bytes.count) bytes but its tables need \(expected)")
    }
    let columnsAt = Layout.footerHeaderSize
    let groupsAt = columnsAt + columnCount * Layout.columnEntrySize
    let chunksAt = groupsAt + groupCount * Layout.rowGroupEntrySize
    let presenceAt = chunksAt + groupCount * columnCount * Layout.chunkEntrySize
    let namesAt = presenceAt + presenceLength

    let names = Array(r.slice(namesAt, namesLength))
    let columns = try (0..<columnCount).map { c in
      try ColumnDescriptor.decode(ByteReader(bytes, at: columnsAt + c * Layout.columnEntrySize), index: c, names: names)
    }
    let rowGroups = try decodeRowGroups(r, at: groupsAt, count: groupCount, rowCount: rowCount)
    var chunks: [ChunkInfo] = []
    chunks.reserveCapacity(groupCount * columnCount)
    let presence = Array(r.slice(presenceAt, presenceLength))
    for g in 0..<groupCount {
      for c in 0..<columnCount {
        let entry = ByteReader(bytes, at: chunksAt + (g * columnCount + c) * Layout.chunkEntrySize)
        chunks.append(
          try ChunkInfo.decode(
            entry, column: columns[c], rows: rowGroups[g].rowCount, presence: presence,
            bodyEnd: bodyEnd, at: .chunk(rowGroup: g, column: c)))
      }
    }
    let needed = Features.required(by: chunks)
    guard needed & ~required == 0 else {
      throw FormatError.inconsistent(
        at: .footer, detail: "chunks need required features 0x\(String(needed, radix: 16)) the footer does not set")
    }
    let createdBy = String(decoding: r.slice(40, Layout.createdBySize).prefix { $0 != 0 }, as: UTF8.self)
    return Footer(
      rowCount: Int(rowCount), requiredFeatures: required, optionalFeatures: optional,
      createdBy: createdBy, columns: columns, rowGroups: rowGroups, chunks: chunks)
  }

  private static func decodeRowGroups(
    _ r: ByteReader, at offset: Int, count: Int, rowCount: UInt64
  ) throws -> [RowGroupInfo] {
    var groups: [RowGroupInfo] = []
    groups.reserveCapacity(count)
    var next = 0
    for g in 0..<count {
      let entry = offset + g * Layout.rowGroupEntrySize
      let first = r.u64(entry)
      let rows = Int(r.u32(entry + 8))
      guard first == UInt64(next) else {
        throw FormatError.invalidField(at: .rowGroup(g), field: "first row", value: first)
      }
      guard rows >= 1, rows <= Layout.maxRowsPerGroup else {
        throw FormatError.invalidField(at: .rowGroup(g), field: "row count", value: UInt64(rows))
      }
      groups.append(RowGroupInfo(firstRow: next, rowCount: rows))
      next += rows
    }
    guard UInt64(next) == rowCount else {
      throw FormatError.inconsistent(
        at: .footer, detail: "row groups hold \(next) rows but the footer declares \(rowCount)")
    }
    return groups
  }

  private static func checkLimit(_ value: Int, _ limit: Int, _ what: String) throws {
    guard value <= limit else {
      throw FormatError.limitExceeded(at: .footer, what: what, value: UInt64(value), limit: UInt64(limit))
    }
  }
}

extension ColumnDescriptor {
  fileprivate static func decode(_ r: ByteReader, index: Int, names: [UInt8]) throws -> ColumnDescriptor {
    let at = FileLocation.column(index)
    guard let kind = ColumnKind(rawValue: r.u8(4)) else {
      throw FormatError.invalidField(at: at, field: "kind", value: UInt64(r.u8(4)))
    }
    let flags = r.u8(5)
    guard flags & ~1 == 0 else { throw FormatError.invalidField(at: at, field: "flags", value: UInt64(flags)) }
    let width = Int(r.u16(6))
    let codes = Int(r.u32(8))
    guard (kind == .bytes) == (width > 0), width <= Layout.maxByteWidth else {
      throw FormatError.invalidField(at: at, field: "byte width", value: UInt64(width))
    }
    guard (kind == .code) == (codes > 0), codes <= Layout.maxCodeCount else {
      throw FormatError.invalidField(at: at, field: "code count", value: UInt64(codes))
    }
    let nameOffset = UInt64(r.u32(12))
    let nameLength = UInt64(r.u32(16))
    guard nameOffset + nameLength <= UInt64(names.count) else {
      throw FormatError.outOfBounds(at: at, offset: nameOffset, length: nameLength, limit: UInt64(names.count))
    }
    let nameBytes = names[Int(nameOffset)..<Int(nameOffset + nameLength)]
    guard let name = String(validating: nameBytes, as: UTF8.self) else {
      throw FormatError.invalidField(at: at, field: "name (not UTF-8) of length", value: nameLength)
    }
    return ColumnDescriptor(
      fieldID: r.u32(0), name: name, kind: kind, isNullable: flags & 1 != 0, byteWidth: width, codeCount: codes)
  }
}

extension ChunkInfo {
  fileprivate static func decode(
    _ r: ByteReader, column: ColumnDescriptor, rows: Int, presence: [UInt8], bodyEnd: UInt64,
    at: FileLocation
  ) throws -> ChunkInfo {
    let offset = r.u64(0)
    let stored = Int(r.u32(8))
    let raw = Int(r.u32(12))
    guard let codec = Codec(rawValue: r.u8(24)) else {
      throw FormatError.invalidField(at: at, field: "codec", value: UInt64(r.u8(24)))
    }
    guard let encoding = Encoding(rawValue: r.u8(25)) else {
      throw FormatError.invalidField(at: at, field: "encoding", value: UInt64(r.u8(25)))
    }
    let width = Int(r.u8(26))
    let flags = r.u8(27)
    guard flags & ~1 == 0 else { throw FormatError.invalidField(at: at, field: "flags", value: UInt64(flags)) }
    let hasValidity = flags & 1 != 0
    let nullCount = Int(r.u32(28))
    guard offset >= UInt64(Layout.headerSize), offset <= bodyEnd, UInt64(stored) <= bodyEnd - offset else {
      throw FormatError.outOfBounds(at: at, offset: offset, length: UInt64(stored), limit: bodyEnd)
    }
    guard width <= 64, encoding == .bitpackFOR || width == 0 else {
      throw FormatError.invalidField(at: at, field: "bit width", value: UInt64(width))
    }
    guard nullCount <= rows, hasValidity == (nullCount > 0), column.isNullable || nullCount == 0 else {
      throw FormatError.invalidField(at: at, field: "null count", value: UInt64(nullCount))
    }
    let base = r.i64(32)
    guard
      let expectedRaw = ChunkLayout.rawBytes(
        column: column, encoding: encoding, bitWidth: width, base: base, rows: rows, nulls: nullCount)
    else {
      throw encoding == .runs && column.kind == .bytes
        ? FormatError.invalidField(at: at, field: "run count", value: UInt64(bitPattern: base))
        : FormatError.invalidField(
          at: at, field: "encoding for a \(column.kind) column", value: UInt64(encoding.rawValue))
    }
    guard expectedRaw <= Layout.maxRawChunkBytes else {
      throw FormatError.limitExceeded(
        at: at, what: "raw chunk size", value: UInt64(expectedRaw), limit: UInt64(Layout.maxRawChunkBytes))
    }
    guard raw == expectedRaw else {
      throw FormatError.invalidField(at: at, field: "raw length (expected \(expectedRaw))", value: UInt64(raw))
    }
    guard codec == .lz4Block || stored == raw else {
      throw FormatError.invalidField(at: at, field: "stored length of an uncompressed chunk", value: UInt64(stored))
    }
    let statistics = try decodeStatistics(
      r, column: column, rows: rows, nullCount: nullCount, presence: presence, at: at)
    if column.kind == .bool && encoding == .bitpackFOR {
      guard base == 0 || (width == 0 && base == 1) else {
        throw FormatError.invalidField(at: at, field: "base of a bool chunk", value: UInt64(bitPattern: base))
      }
    }
    return ChunkInfo(
      offset: offset, storedLength: stored, rawLength: raw, checksum: r.u64(16), codec: codec,
      encoding: encoding, bitWidth: width, hasValidity: hasValidity, base: base, statistics: statistics)
  }

  private static func decodeStatistics(
    _ r: ByteReader, column: ColumnDescriptor, rows: Int, nullCount: Int, presence: [UInt8],
    at: FileLocation
  ) throws -> ChunkStatistics {
    let min = r.i64(40)
    let max = r.i64(48)
    let trueCount = Int(r.u32(56))
    let presenceOffset = UInt64(r.u32(60))
    let hasValues = nullCount < rows
    if hasValues && column.kind != .bytes && min > max {
      throw FormatError.inconsistent(at: at, detail: "statistics min \(min) exceeds max \(max)")
    }
    guard column.kind == .bool ? trueCount <= rows - nullCount : trueCount == 0 else {
      throw FormatError.invalidField(at: at, field: "true count", value: UInt64(trueCount))
    }
    var bits: Bitmap? = nil
    if column.kind == .code {
      if hasValues && (min < 0 || max >= Int64(column.codeCount)) {
        throw FormatError.inconsistent(at: at, detail: "codes \(min)...\(max) outside 0..<\(column.codeCount)")
      }
      let length = UInt64(column.presenceBytes)
      guard presenceOffset % 8 == 0, presenceOffset + length <= UInt64(presence.count) else {
        throw FormatError.outOfBounds(at: at, offset: presenceOffset, length: length, limit: UInt64(presence.count))
      }
      let pr = ByteReader(presence, at: Int(presenceOffset))
      let words = (0..<(column.presenceBytes / 8)).map { pr.u64($0 * 8) }
      bits = Bitmap(words: words, count: column.codeCount)
    }
    return ChunkStatistics(nullCount: nullCount, min: min, max: max, trueCount: trueCount, presence: bits)
  }
}
