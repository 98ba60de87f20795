// Rows into segments: the records of one or more tables of rows (a file read in parts),
// numbered one table after another, have their flags ranked for the segment order, and
// each year's records are taken column by column (RawColumns), sorted, and gathered into
// the physical columns a segment stores. The tables are never joined.
import KolomFormat

extension [RecordRows] {
  /// The number of records in all tables.
  var recordCount: Int { reduce(0) { $0 + $1.count } }

  /// Schema column `column`'s values, record by record (0 where null).
  func values(of column: Int) -> [Int64] { flatMap { $0.values(of: column) } }

  /// The segment order of these records (flags ranked by how evenly all of them split).
  /// - Complexity: O(records × flag sets), on both cores.
  func segmentOrder() -> SegmentOrder? {
    guard let schema = first?.schema else { return nil }
    let flagSets = schema.columns.indices.compactMap { c in
      if case .flags(let list) = schema.columns[c].type { (column: c, flags: list.count) } else { nil }
    }
    // Each table in halves, every half on a core of its own.
    let pieces = indices.flatMap { t in
      let n = self[t].count
      return [(t, 0..<(n / 2)), (t, (n / 2)..<n)]
    }
    let counts = parallelMap(pieces.indices) { i in
      let (table, rows) = (self[pieces[i].0], pieces[i].1)
      return table.values.withUnsafeBufferPointer { v in
        FlagMasks.counts(
          flagSets.map { FlagMasks(values: v, width: table.width, column: $0.column, flags: $0.flags) }, rows: rows)
      }
    }
    var total = [Int](repeating: 0, count: schema.columns.count * 64)
    for part in counts {
      for (set, perFlag) in zip(flagSets, part) {
        for (f, n) in perFlag.enumerated() { total[set.column * 64 + f] += n }
      }
    }
    return SegmentOrder(schema: schema, count: recordCount) { total[$0 * 64 + $1] }
  }

  /// The records at `rows` (ascending, numbered across the tables) in segment order
  /// `order` (in the order of `rows` when nil), as the columns of a segment.
  /// - Complexity: O(m log m + m × columns) for m rows.
  func inSegmentOrder(rows: [Int], order: SegmentOrder?) -> RecordBatch {
    let columns = RawColumns(self, rows: rows)
    guard let order else { return columns.batch([Int](0..<rows.count)) }
    return columns.batch(SegmentOrder.sorted(order.keys(of: columns)))
  }
}
