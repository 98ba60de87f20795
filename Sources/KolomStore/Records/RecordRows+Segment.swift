// Rows into segments: split by year, put in segment order, and turned into the physical
// columns a segment stores (a flag set's mask into one bool column per flag). Rows are
// first gathered in order, one copy per row, so that every column is then read in a
// sequential pass rather than a scattered one.
import KolomFormat

extension RecordRows {
  /// The segment order of these records (flags ranked by how evenly all of them split).
  /// - Complexity: O(count × flag sets), in two halves on both cores.
  func segmentOrder() -> SegmentOrder? {
    let flagColumns = schema.columns.indices.filter { if case .flags = schema.columns[$0].type { true } else { false } }
    let halves = count >= 1 << 16 ? 2 : 1
    let size = (count + halves - 1) / halves
    let counts = parallelMap(0..<halves) { h in
      flagCounts(flagColumns, rows: (h * size)..<Swift.min(count, (h + 1) * size))
    }.reduce(into: [Int](repeating: 0, count: width * 64)) { total, part in
      for i in total.indices { total[i] += part[i] }
    }
    return SegmentOrder(schema: schema, count: count) { counts[$0 * 64 + $1] }
  }

  /// Per flag of `columns` (at column × 64 + flag), how many records of `rows` have it.
  private func flagCounts(_ columns: [Int], rows: Range<Int>) -> [Int] {
    var counts = [Int](repeating: 0, count: width * 64)
    values.withUnsafeBufferPointer { v in
      counts.withUnsafeMutableBufferPointer { counts in
        for row in rows {
          for c in columns {
            var mask = UInt64(bitPattern: v[row * width + c])
            while mask != 0 {
              counts[c * 64 + mask.trailingZeroBitCount] += 1
              mask &= mask &- 1
            }
          }
        }
      }
    }
    return counts
  }

  /// The records at `rows` in segment order `order` (in the order of `rows` when nil),
  /// as the columns of a segment.
  /// - Complexity: O(m log m + m × columns) for m rows.
  func inSegmentOrder(rows: [Int], order: SegmentOrder?) -> RecordBatch {
    guard let order else { return permuted(rows).batch() }
    let keys = values.withUnsafeBufferPointer { v in
      ids.withUnsafeBufferPointer { ids in
        rows.map { row in
          order.key(
            row: row, values: v.baseAddress! + row * width, id: ids.baseAddress! + row * idWidth, idWidth: idWidth)
        }
      }
    }
    return permuted(SegmentOrder.sorted(keys)).batch()
  }

  /// The records, in their order, as physical columns.
  /// - Complexity: O(count × columns).
  func batch() -> RecordBatch {
    let layouts = schema.physical.layouts
    var columns = [ColumnData?](repeating: nil, count: schema.physical.columns.count)
    let anyNull = nulls.reduce(0, |)
    values.withUnsafeBufferPointer { v in
      for (c, column) in schema.columns.enumerated() {
        let validity = anyNull >> UInt64(c) & 1 == 0 ? nil : self.validity(of: c)
        switch (layouts[c], column.type) {
        case (.single(let p), .id):
          columns[p] = ColumnData(.bytes(ids, width: idWidth), validity: validity)
        case (.single(let p), _):
          columns[p] = ColumnData(.integers((0..<count).map { v[$0 * width + c] }), validity: validity)
        case (.flags(let first, let flags, let presence), _):
          if let presence {
            columns[presence] = ColumnData(.booleans(validity ?? Bitmap(count: count, value: true)))
          }
          for (f, bits) in flagBitmaps(c, flags: flags, values: v).enumerated() {
            columns[first + f] = ColumnData(.booleans(bits))
          }
        }
      }
    }
    return RecordBatch(schema: schema, columns: columns.map { $0! })
  }

  /// Column `c`'s validity: bit i set when record i's value is not null.
  private func validity(of c: Int) -> Bitmap {
    var words = [UInt64](repeating: 0, count: Bitmap.wordCount(count))
    for (i, null) in nulls.enumerated() where null >> UInt64(c) & 1 == 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
    return Bitmap(words: words, count: count)
  }

  /// One bitmap per flag of flag-set column `c`, from its masks.
  private func flagBitmaps(_ c: Int, flags: Int, values v: UnsafeBufferPointer<Int64>) -> [Bitmap] {
    let wordCount = Bitmap.wordCount(count)
    var words = [UInt64](repeating: 0, count: flags * wordCount)
    words.withUnsafeMutableBufferPointer { words in
      for i in 0..<count {
        var mask = UInt64(bitPattern: v[i * width + c])
        precondition(flags == 64 || mask >> UInt64(flags) == 0, "flag mask \(mask) of a set of \(flags) flags")
        while mask != 0 {
          words[mask.trailingZeroBitCount * wordCount + i >> 6] |= 1 << UInt64(i & 63)
          mask &= mask &- 1
        }
      }
    }
    return (0..<flags).map { f in
      Bitmap(words: Array(words[(f * wordCount)..<((f + 1) * wordCount)]), count: count)
    }
  }
}
