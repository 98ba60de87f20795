// Writes the footer's fixed tables. Mirrors format-spec/file-layout.md:
//
// footer header (64 B)        column entry (32 B)          row group entry (16 B)
//  0  8 row count u64          0  4 field id u32            0  8 first row u64
//  8  4 column count u32       4  1 kind u8                 8  4 row count u32
// 12  4 row group count u32    5  1 flags u8 (0: nullable) 12  4 reserved
// 16  8 required features      6  2 byte width u16
// 24  8 optional features      8  4 code count u32         chunk entry (64 B): see
// 32  4 names length u32      12  4 name offset u32        ChunkInfo+Encoding below
// 36  4 presence length u32   16  4 name length u32
// 40 24 created by (UTF-8)    20 12 reserved
//
// then: columns, row groups, chunks (row-group-major), presence area, names area.

extension Footer {
  /// The footer bytes; its length is a multiple of 8.
  func encoded() -> [UInt8] {
    var names = ByteWriter()
    var nameRanges: [(Int, Int)] = []
    for column in columns {
      let utf8 = Array(column.name.utf8)
      nameRanges.append((names.bytes.count, utf8.count))
      names.raw(utf8)
    }
    names.align(Layout.alignment)

    var presence = ByteWriter()
    var presenceOffsets: [Int] = []
    for (i, chunk) in chunks.enumerated() {
      presenceOffsets.append(presence.bytes.count)
      guard let bits = chunk.statistics.presence else { continue }
      precondition(bits.count == columns[i % columns.count].codeCount, "presence bitmap size")
      for word in bits.words { presence.u64(word) }
    }

    var out = ByteWriter()
    out.u64(UInt64(rowCount))
    out.u32(UInt32(columns.count))
    out.u32(UInt32(rowGroups.count))
    out.u64(requiredFeatures)
    out.u64(optionalFeatures)
    out.u32(UInt32(names.bytes.count))
    out.u32(UInt32(presence.bytes.count))
    var createdByBytes = Array(createdBy.utf8.prefix(Layout.createdBySize))
    createdByBytes += repeatElement(0, count: Layout.createdBySize - createdByBytes.count)
    out.raw(createdByBytes)

    for (column, name) in zip(columns, nameRanges) { column.encode(into: &out, name: name) }
    for group in rowGroups {
      out.u64(UInt64(group.firstRow))
      out.u32(UInt32(group.rowCount))
      out.u32(0)
    }
    for (chunk, presenceOffset) in zip(chunks, presenceOffsets) {
      chunk.encode(into: &out, presenceOffset: presenceOffset)
    }
    out.raw(presence.bytes)
    out.raw(names.bytes)
    return out.bytes
  }
}

extension ColumnDescriptor {
  fileprivate func encode(into out: inout ByteWriter, name: (offset: Int, length: Int)) {
    out.u32(fieldID)
    out.u8(kind.rawValue)
    out.u8(isNullable ? 1 : 0)
    out.u16(UInt16(byteWidth))
    out.u32(UInt32(codeCount))
    out.u32(UInt32(name.offset))
    out.u32(UInt32(name.length))
    out.zeros(12)
  }
}

// chunk entry (64 B)
//  0  8 offset u64          24  1 codec u8             32  8 base i64
//  8  4 stored length u32   25  1 encoding u8          40  8 min i64
// 12  4 raw length u32      26  1 bit width u8         48  8 max i64
// 16  8 checksum u64        27  1 flags (0: validity)  56  4 true count u32
//                           28  4 null count u32       60  4 presence offset u32
extension ChunkInfo {
  fileprivate func encode(into out: inout ByteWriter, presenceOffset: Int) {
    out.u64(offset)
    out.u32(UInt32(storedLength))
    out.u32(UInt32(rawLength))
    out.u64(checksum)
    out.u8(codec.rawValue)
    out.u8(encoding.rawValue)
    out.u8(UInt8(bitWidth))
    out.u8(hasValidity ? 1 : 0)
    out.u32(UInt32(statistics.nullCount))
    out.i64(base)
    out.i64(statistics.min)
    out.i64(statistics.max)
    out.u32(UInt32(statistics.trueCount))
    out.u32(statistics.presence == nil ? 0 : UInt32(presenceOffset))
  }
}
