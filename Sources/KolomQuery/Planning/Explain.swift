// EXPLAIN: the plan of a query in words: what the scan reads after pruning (years,
// files, row groups, columns), what it filters, how it groups and what it computes.

enum Explain {
  /// The plan as a one-column result, a line per row.
  static func result(_ plan: QueryPlan, statement: SelectStatement, catalog: Catalog) -> ResultSet {
    let lines = text(plan, statement: statement, catalog: catalog)
    return ResultSet(
      columns: [ResultColumn(name: "plan", type: .text)], rows: lines.map { [.text($0)] }, counts: plan.counts)
  }

  static func text(_ plan: QueryPlan, statement: SelectStatement, catalog: Catalog) -> [String] {
    let query = plan.query
    let c = plan.counts
    var lines: [String] = []
    lines.append("scan cases")
    lines.append("  years      \(c.yearsRead) of \(c.years) read (\(c.years - c.yearsRead) pruned)")
    lines.append("  files      \(c.filesRead) of \(c.files) opened (\(c.files - c.filesRead) pruned by their dates)")
    lines.append(
      "  row groups \(c.rowGroupsRead) of \(c.rowGroups) read (\(c.rowGroups - c.rowGroupsRead) pruned by statistics), "
        + "\(c.rowsRead) rows")
    if query.isAggregate {
      let aggregator = Aggregator(query: query)
      let statisticsOnly = plan.tasks.filter { task in
        task.filterAlwaysTrue
          && aggregator.addFromStatistics(
            RowGroupBatch(file: plan.files[task.file], group: task.group), to: aggregator.makeTables())
      }.count
      lines.append("  answered from statistics alone: \(statisticsOnly) row groups")
    }
    let columns = query.scannedColumns.sorted().map { catalog.schema.physical.columns[$0].name }
    lines.append("  columns    \(columns.isEmpty ? "none" : columns.joined(separator: ", "))")
    if let filter = statement.filter { lines.append("filter \(filter.text)") }
    if query.filter != nil && statement.filter.map({ _ in false }) ?? true {
      lines.append("filter (access policy only)")
    }
    if query.isAggregate {
      let sets = query.groupingSets.count > 1 ? " (ROLLUP: \(query.groupingSets.count) grouping sets)" : ""
      lines.append(
        "aggregate by \(query.keys.isEmpty ? "nothing" : query.keys.map(\.text).joined(separator: ", "))\(sets)")
      for aggregate in query.aggregates { lines.append("  \(aggregate.text)") }
      if let having = statement.having { lines.append("having \(having.text)") }
    }
    if !statement.order.isEmpty {
      lines.append(
        "order by "
          + statement.order.map { $0.expression.text + ($0.descending ? " DESC" : "") }.joined(separator: ", "))
    }
    if let limit = query.limit {
      let by = statement.limitBy.isEmpty ? "" : " by " + statement.limitBy.map(\.text).joined(separator: ", ")
      lines.append("limit \(limit)\(by)")
    }
    lines.append("output " + query.outputs.map(\.name).joined(separator: ", "))
    return lines
  }
}
