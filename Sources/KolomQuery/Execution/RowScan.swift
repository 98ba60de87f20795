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
      let columns = outputs + (order + limitBy).map(RowValues.vector)
      selection.forEachSetBit { r in
        if let wanted, rows.count >= wanted { return }
        rows.append(columns.map { $0.scalar(at: r) })
      }
    }
    return Output.finish(rows, query: query, order: query.order, counts: plan.counts)
  }

  /// The values of an output: an expression, or a flag set's bits.
  private static func values(of source: OutputSource, _ batch: RowGroupBatch) throws -> RowValues {
    switch source {
    case .expression(let e): return .vector(try Evaluator.evaluate(e, batch))
    case .flags(let set):
      let bits = try set.codes.indices.map { try batch.column(set.first + $0).truthsIgnoringNull() }
      return .flags(bits, valid: try Flags.presence(set, batch))
    }
  }
}

/// An output's values over a row group, read a selected row at a time.
private enum RowValues {
  case vector(Vector)
  /// A flag set: one bitmap per flag, NULL where `valid` says so. A row's value is one
  /// byte per flag, made only for the rows returned.
  case flags([Bitmap], valid: Bitmap?)

  func scalar(at row: Int) -> Scalar {
    switch self {
    case .vector(let vector): return vector.scalar(at: row)
    case .flags(let bits, let valid):
      if let valid, !valid[row] { return .null }
      return .bytes(bits.isEmpty ? [0] : bits.map { $0[row] ? 1 : 0 })
    }
  }
}
