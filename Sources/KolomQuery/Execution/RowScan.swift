// RowScan: queries without aggregates return records. Row groups are read in file
// order (year, then segment order); without ORDER BY the scan stops as soon as LIMIT
// is reached.
import KolomFormat

enum RowScan {
  static func run(_ plan: QueryPlan, cancellation: Cancellation?) throws -> ResultSet {
    let query = plan.query
    let wanted = query.order.isEmpty && query.limitBy.isEmpty ? query.limit.map { $0 + (query.offset ?? 0) } : nil
    var rows: [PendingRow] = []
    for task in plan.tasks {
      if let wanted, rows.count >= wanted { break }
      try cancellation?.check()
      let batch = RowGroupBatch(file: plan.files[task.file], group: task.group)
      let filter = task.filterAlwaysTrue ? nil : query.filter
      let selection =
        try filter.map { try Evaluator.evaluate($0, batch).truths() } ?? Bitmap(count: batch.count, value: true)
      guard selection.trueCount > 0 else { continue }
      let outputs = try query.outputs.map { try values(of: $0.source, batch) }
      let order = try query.order.map { try Evaluator.evaluate($0.expression, batch) }
      let limitBy = try query.limitBy.map { try Evaluator.evaluate($0, batch) }
      let columns = outputs + order + limitBy
      selection.forEachSetBit { r in
        if let wanted, rows.count >= wanted { return }
        rows.append(columns.map { $0.scalar(at: r) })
      }
    }
    return Output.finish(rows, query: query, order: query.order, counts: plan.counts)
  }

  /// The values of an output: an expression, or a flag set as one byte per flag.
  private static func values(of source: OutputSource, _ batch: RowGroupBatch) throws -> Vector {
    switch source {
    case .expression(let e): return try Evaluator.evaluate(e, batch)
    case .flags(let set):
      let bits = try set.codes.indices.map { try batch.column(set.first + $0).truthsIgnoringNull() }
      var bytes = [UInt8](repeating: 0, count: batch.count * bits.count)
      for (f, column) in bits.enumerated() { column.forEachSetBit { bytes[$0 * bits.count + f] = 1 } }
      return .bytes(bytes, width: max(1, bits.count), valid: try Flags.presence(set, batch))
    }
  }
}
