// EXPLAIN: the plan of a query in words: what the scan reads after pruning (years,
// files, row groups, columns), what it filters, how it groups and what it computes.
import KolomStore

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
    let byStatistics = c.rowGroups - c.rowGroupsRead - c.rowGroupsWithoutTheCase
    let byCase = c.rowGroupsWithoutTheCase > 0 ? ", \(c.rowGroupsWithoutTheCase) without the client" : ""
    lines.append(
      "  row groups \(c.rowGroupsRead) of \(c.rowGroups) read (\(byStatistics) pruned by statistics\(byCase)), "
        + "\(c.rowsRead) rows")
    if query.isAggregate {
      let aggregator = Aggregator(query: query, cases: plan.cases)
      let statisticsOnly = plan.tasks.filter { task in
        task.filterAlwaysTrue
          && aggregator.addFromStatistics(
            RowGroupBatch(file: plan.files[task.file], group: task.group), to: aggregator.makeTables())
      }.count
      lines.append("  answered from statistics alone: \(statisticsOnly) row groups")
    }
    let columns = columnNames(query.scannedColumns, catalog.schema)
    lines.append("  columns    \(columns.isEmpty ? "none" : columns.joined(separator: ", "))")
    if let restriction = plan.restriction { lines.append("access \(restriction)") }
    if let filter = statement.filter { lines.append("filter \(filter.text)") }
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

  /// The physical columns as names, a flag set's bit columns summed up as the set.
  private static func columnNames(_ physical: Set<Int>, _ schema: Schema) -> [String] {
    var names: [String] = []
    for (column, layout) in zip(schema.columns, schema.physical.layouts) {
      switch layout {
      case .single(let p): if physical.contains(p) { names.append(column.name) }
      case .flags(let first, let count, _):
        let read = (first..<(first + count)).filter(physical.contains)
        if read.count == count {
          names.append("\(column.name) (all \(count) flags)")
        } else if !read.isEmpty {
          names.append("\(column.name).{\(read.map { column.type.codeList![$0 - first].code }.joined(separator: ","))}")
        }
      }
    }
    return names
  }
}
