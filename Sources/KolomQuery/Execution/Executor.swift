// Executor: runs a plan. Row groups are shared out to one worker per core; each worker
// filters and aggregates into its own tables (memory is the row groups in flight plus
// the groups), checking for cancellation between row groups. The tables are merged,
// and the select list, HAVING, ORDER BY and LIMIT are computed over the groups.
import Dispatch
import Foundation
import KolomFormat
import Synchronization

enum Executor {
  /// The result of `plan`.
  static func run(_ plan: QueryPlan, cancellation: Cancellation?) throws -> ResultSet {
    let query = plan.query
    if !query.isAggregate { return try RowScan.run(plan, cancellation: cancellation) }
    let aggregator = Aggregator(query: query, cases: plan.cases)
    let (tables, fromStatistics) = try scan(plan, aggregator: aggregator, cancellation: cancellation)
    var counts = plan.counts
    counts.rowGroupsFromStatistics = fromStatistics
    let groups = finish(tables, query: query)
    return try Output.result(query: query, groups: groups, counts: counts)
  }

  /// Every task of the plan aggregated; the merged tables and the row groups answered
  /// from statistics.
  private static func scan(_ plan: QueryPlan, aggregator: Aggregator, cancellation: Cancellation?) throws
    -> ([GroupTable], Int)
  {
    let tasks = plan.tasks
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, tasks.count))
    let next = Atomic<Int>(0)
    let fromStatistics = Atomic<Int>(0)
    let failure = Mutex<Error?>(nil)
    let results = Mutex<[[GroupTable]]>([])
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      let tables = aggregator.makeTables()
      while failure.withLock({ $0 == nil }) {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard i < tasks.count else { break }
        do {
          try cancellation?.check()
          if try process(tasks[i], plan: plan, aggregator: aggregator, into: tables) {
            fromStatistics.wrappingAdd(1, ordering: .relaxed)
          }
        } catch {
          failure.withLock { if $0 == nil { $0 = error } }
        }
      }
      results.withLock { $0.append(tables) }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    let all = results.withLock { $0 }
    let merged = all[0]
    for other in all.dropFirst() {
      for (mine, theirs) in zip(merged, other) { mine.merge(theirs) }
    }
    return (merged, fromStatistics.load(ordering: .relaxed))
  }

  /// Aggregates one row group; true when statistics alone answered it.
  private static func process(_ task: ScanTask, plan: QueryPlan, aggregator: Aggregator, into tables: [GroupTable])
    throws -> Bool
  {
    let batch = RowGroupBatch(file: plan.files[task.file], group: task.group)
    let filter = task.filterAlwaysTrue ? nil : plan.query.filter
    if filter == nil && aggregator.addFromStatistics(batch, to: tables) { return true }
    let selection =
      try filter.map { try Evaluator.evaluate($0, batch).truths() } ?? Bitmap(count: batch.count, value: true)
    if selection.trueCount > 0 { try aggregator.add(batch, selection: selection, to: tables) }
    return false
  }

  /// The groups of every grouping set as one table: a column per key, then per aggregate.
  private static func finish(_ tables: [GroupTable], query: BoundQuery) -> GroupBatch {
    var columns = [[Scalar]](repeating: [], count: query.keys.count + query.aggregates.count)
    for table in tables {
      // A grouping set without keys has one row even over no rows (count(*) = 0).
      if table.keys.isEmpty && table.count == 0 {
        let words = [Int64](repeating: 0, count: table.layout.width).enumerated().map {
          $0 == 0 ? table.absentMask : $1
        }
        _ = words.withUnsafeBufferPointer { table.group(for: $0) }
      }
      for g in 0..<table.count {
        for k in query.keys.indices { columns[k].append(table.key(g, k)) }
        for (a, state) in table.states.enumerated() { columns[query.keys.count + a].append(state.result(g)) }
      }
    }
    let types = query.keys.map(\.type) + query.aggregates.map(\.type)
    let count = columns.first?.count ?? tables.reduce(0) { $0 + $1.count }
    return GroupBatch(columns: zip(types, columns).map { Vector(scalars: $1, type: $0) }, count: count)
  }
}

extension Vector {
  /// A vector of `scalars` of `type`.
  init(scalars: [Scalar], type: ValueType) {
    let valid = Bitmap(scalars.map { $0 != .null })
    let validity = valid.trueCount == scalars.count ? nil : valid
    switch type {
    case .double:
      self = .doubles(scalars.map { $0.asDouble ?? 0 }, valid: validity)
    case .bool:
      self = .bools(Bitmap(scalars.map { $0 == .bool(true) }), valid: validity)
    case .id(let width):
      self = .bytes(
        scalars.flatMap { if case .bytes(let b) = $0 { b } else { [UInt8](repeating: 0, count: width) } }, width: width,
        valid: validity)
    default:
      self = .ints(
        scalars.map {
          switch $0 {
          case .int(let v): v
          case .bool(let v): v ? 1 : 0
          default: 0
          }
        }, valid: validity)
    }
  }
}
