// The records of one segment as raw values column by column: taken from the rows in one
// pass, a row at a time, so that the segment key and every column are then read from
// contiguous arrays, and the segment's columns gathered from them in segment order.
import KolomFormat

/// Records as raw values (see RecordRows), column after column.
struct RawColumns {
  let schema: Schema
  let count: Int
  /// `count` values of each schema column, column after column (0 where null).
  let values: [Int64]
  /// Per record, bit c set when schema column c is null.
  let nulls: [UInt64]
  /// `count × idWidth` bytes of the identifier column.
  let ids: [UInt8]
  let idWidth: Int

  /// The records at `rows` (ascending) of `tables`, whose records are numbered one table
  /// after another.
  /// - Complexity: O(rows.count × columns).
  init(_ tables: [RecordRows], rows: [Int]) {
    precondition(!tables.isEmpty, "records from no table")
    let (count, width, idWidth) = (rows.count, tables[0].width, tables[0].idWidth)
    schema = tables[0].schema
    self.count = count
    self.idWidth = idWidth
    // Which of `rows` each table holds (`rows` is ascending), and its first record's number.
    var pieces: [(table: RecordRows, first: Int, rows: Range<Int>)] = []
    var (at, first) = (0, 0)
    for table in tables {
      let start = at
      while at < count && rows[at] < first + table.count { at += 1 }
      pieces.append((table, first, start..<at))
      first += table.count
    }
    precondition(at == count && (rows.first ?? 0) >= 0, "rows outside the \(first) records, or not ascending")
    values = [Int64](unsafeUninitializedCapacity: count * width) { out, initialized in
      for piece in pieces {
        piece.table.values.withUnsafeBufferPointer { v in
          for i in piece.rows {
            let row = rows[i] - piece.first
            for c in 0..<width { out[c * count + i] = v[row * width + c] }
          }
        }
      }
      initialized = count * width
    }
    nulls = pieces.flatMap { piece in piece.rows.map { piece.table.nulls[rows[$0] - piece.first] } }
    ids = pieces.flatMap { piece in
      RecordRows.gather(piece.table.ids, width: idWidth, at: piece.rows.map { rows[$0] - piece.first })
    }
  }

  /// Schema column `column`'s values.
  func withColumn<T>(_ column: Int, _ body: (UnsafeBufferPointer<Int64>) -> T) -> T {
    values.withUnsafeBufferPointer {
      body(UnsafeBufferPointer(rebasing: $0[(column * count)..<((column + 1) * count)]))
    }
  }

  /// The records at `order` (indices into these) as the physical columns of a segment.
  /// - Complexity: O(order.count × columns).
  func batch(_ order: [Int]) -> RecordBatch {
    let layouts = schema.physical.layouts
    var columns = [ColumnData?](repeating: nil, count: schema.physical.columns.count)
    let nulls = order.map { self.nulls[$0] }
    let anyNull = nulls.reduce(0, |)
    for (c, column) in schema.columns.enumerated() {
      let validity = anyNull >> UInt64(c) & 1 == 0 ? nil : Self.validity(of: c, nulls)
      func gathered() -> [Int64] { withColumn(c) { values in order.map { values[$0] } } }
      switch (layouts[c], column.type) {
      case (.single(let p), .id):
        columns[p] = ColumnData(
          .bytes(RecordRows.gather(ids, width: idWidth, at: order), width: idWidth), validity: validity)
      case (.single(let p), _):
        columns[p] = ColumnData(.integers(gathered()), validity: validity)
      case (.flags(let first, let flags, let presence), _):
        if let presence {
          columns[presence] = ColumnData(.booleans(validity ?? Bitmap(count: order.count, value: true)))
        }
        let bitmaps = gathered().withUnsafeBufferPointer {
          FlagMasks(values: $0, width: 1, column: 0, flags: flags).bitmaps(count: order.count)
        }
        for (f, bits) in bitmaps.enumerated() { columns[first + f] = ColumnData(.booleans(bits)) }
      }
    }
    return RecordBatch(schema: schema, columns: columns.map { $0! })
  }

  /// Column `c`'s validity: bit i set when `nulls[i]` does not mark it null.
  private static func validity(of c: Int, _ nulls: [UInt64]) -> Bitmap {
    var words = [UInt64](repeating: 0, count: Bitmap.wordCount(nulls.count))
    for (i, null) in nulls.enumerated() where null >> UInt64(c) & 1 == 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
    return Bitmap(words: words, count: nulls.count)
  }
}
