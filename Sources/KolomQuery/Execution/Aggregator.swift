// Aggregator: adds a row group's selected rows to the group tables of every grouping
// set. EACH keys add a row once per flag it has (one popcount-sized pass per flag);
// a row group whose keys are constant and whose aggregates are plain counts is added
// from its statistics, without decoding a value.
import KolomFormat

/// Aggregates row groups into group tables.
struct Aggregator {
  let query: BoundQuery
  let layout: KeyLayout
  /// The position of the EACH key among the keys, if there is one.
  let eachKey: Int?
  /// Every aggregate is count(*) without FILTER: statistics can answer.
  let countsOnly: Bool

  init(query: BoundQuery) {
    self.query = query
    layout = KeyLayout(types: query.keys.map(\.type))
    eachKey = query.keys.firstIndex { if case .each = $0 { true } else { false } }
    countsOnly = query.aggregates.allSatisfy { $0.function == .countStar && $0.filter == nil }
  }

  /// New, empty tables: one per grouping set.
  func makeTables() -> [GroupTable] {
    query.groupingSets.map { GroupTable(layout: layout, keys: $0, aggregates: query.aggregates) }
  }

  /// Adds the rows of `batch` in `selection` to `tables`.
  /// - Complexity: O(rows × (keys + aggregates)), plus O(rows in a flag) per flag of an EACH key.
  func add(_ batch: RowGroupBatch, selection: Bitmap, to tables: [GroupTable]) throws {
    let keyVectors = try query.keys.map { key -> Vector? in
      if case .expression(let e, _) = key { return try Evaluator.evaluate(e, batch) }
      return nil
    }
    var flagBits: [Bitmap] = []
    var noFlag: Bitmap? = nil
    if let eachKey, case .each(let set, let keepEmpty, _) = query.keys[eachKey] {
      flagBits = try set.codes.indices.map { try batch.column(set.first + $0).truthsIgnoringNull() }
      if keepEmpty { noFlag = flagBits.reduce(Bitmap(count: batch.count)) { $0.or($1) }.inverted() }
    }
    let inputs = try query.aggregates.map { a in try a.argument.map { try Evaluator.evaluate($0, batch) } }
    let masks = try query.aggregates.map { a in
      try a.filter.map { selection.and(try Evaluator.evaluate($0, batch).truths()) } ?? selection
    }
    for table in tables {
      var resolver = GroupResolver(
        table: table, vectors: keyVectors, eachKey: eachKey, flags: flagBits.count, selection: selection)
      guard let eachKey, table.keys.contains(eachKey) else {
        let groups = resolver.groups(for: selection, flag: nil)
        for (a, state) in table.states.enumerated() { state.add(masks[a], groups: groups, input: inputs[a]) }
        continue
      }
      for (flag, bits) in flagBits.enumerated() {
        let rows = selection.and(bits)
        guard rows.trueCount > 0 else { continue }
        let groups = resolver.groups(for: rows, flag: flag)
        for (a, state) in table.states.enumerated() { state.add(masks[a].and(bits), groups: groups, input: inputs[a]) }
      }
      if let noFlag {
        let groups = resolver.groups(for: selection.and(noFlag), flag: nil)
        for (a, state) in table.states.enumerated() {
          state.add(masks[a].and(noFlag), groups: groups, input: inputs[a])
        }
      }
    }
  }

  /// Adds all rows of `batch` to `tables` from statistics alone, when the keys are
  /// constant over the row group and every aggregate is a plain count. Returns false
  /// (and adds nothing) otherwise.
  func addFromStatistics(_ batch: RowGroupBatch, to tables: [GroupTable]) -> Bool {
    guard countsOnly else { return false }
    let part = RowGroupStatistics(file: batch.file, group: batch.group)
    var constants: [Scalar?] = []
    for (k, key) in query.keys.enumerated() {
      switch key {
      case .expression(let e, _): constants.append(StatisticsFilter.constant(e, part))
      case .each(_, let keepEmpty, _):
        if keepEmpty { return false }
        constants.append(nil)
      }
      if constants[k] == nil && k != eachKey { return false }
    }
    for table in tables {
      var words = [Int64](repeating: 0, count: layout.width)
      words[0] = table.absentMask
      for k in table.keys where k != eachKey {
        words.withUnsafeMutableBufferPointer { layout.write(constants[k]!, key: k, into: $0) }
      }
      guard let eachKey, table.keys.contains(eachKey), case .each(let set, _, _) = query.keys[eachKey] else {
        let g = words.withUnsafeBufferPointer { table.group(for: $0) }
        for state in table.states { state.addRows(batch.count, group: g) }
        continue
      }
      for flag in set.codes.indices {
        let count = batch.statistics(set.first + flag)?.trueCount ?? 0
        guard count > 0 else { continue }
        words[layout.offsets[eachKey]] = Int64(flag)
        let g = words.withUnsafeBufferPointer { table.group(for: $0) }
        for state in table.states { state.addRows(count, group: g) }
      }
    }
    return true
  }
}
