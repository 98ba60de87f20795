// Rows into segments: the flags ranked for the segment order, and each year's records
// taken column by column (RawColumns), sorted, and gathered into the physical columns a
// segment stores.
import KolomFormat

extension RecordRows {
  /// The segment order of these records (flags ranked by how evenly all of them split).
  /// - Complexity: O(count × flag sets), in two halves on both cores.
  func segmentOrder() -> SegmentOrder? {
    let flagSets = schema.columns.indices.compactMap { c in
      if case .flags(let list) = schema.columns[c].type { (column: c, flags: list.count) } else { nil }
    }
    let halves = count >= 1 << 16 ? 2 : 1
    let size = (count + halves - 1) / halves
    let counts = parallelMap(0..<halves) { h in
      let rows = (h * size)..<Swift.min(count, (h + 1) * size)
      return values.withUnsafeBufferPointer { v in
        FlagMasks.counts(
          flagSets.map { FlagMasks(values: v, width: width, column: $0.column, flags: $0.flags) }, rows: rows)
      }
    }
    var total = [Int](repeating: 0, count: width * 64)
    for part in counts {
      for (set, perFlag) in zip(flagSets, part) {
        for (f, n) in perFlag.enumerated() { total[set.column * 64 + f] += n }
      }
    }
    return SegmentOrder(schema: schema, count: count) { total[$0 * 64 + $1] }
  }

  /// The records at `rows` in segment order `order` (in the order of `rows` when nil),
  /// as the columns of a segment.
  /// - Complexity: O(m log m + m × columns) for m rows.
  func inSegmentOrder(rows: [Int], order: SegmentOrder?) -> RecordBatch {
    let columns = RawColumns(self, rows: rows)
    guard let order else { return columns.batch(Array(0..<rows.count)) }
    return columns.batch(SegmentOrder.sorted(order.keys(of: columns)))
  }
}
