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
  /// Numbers for pseudonyms, which count(DISTINCT) counts instead of the pseudonyms.
  let cases: CaseNumbers
  /// For each aggregate, the first one with the same argument: median(x) and
  /// quantile_cont(x, 0.9) compute x once per row group.
  private let sameArgument: [Int]

  init(query: BoundQuery, cases: CaseNumbers) {
    self.query = query
    self.cases = cases
    layout = KeyLayout(types: query.keys.map(\.type))
    eachKey = query.keys.firstIndex { if case .each = $0 { true } else { false } }
    countsOnly = query.aggregates.allSatisfy { $0.function == .countStar && $0.filter == nil }
    // A distinct count of pseudonyms reads case numbers, not its argument's values.
    let arguments = query.aggregates.map { a -> String? in
      if a.distinct, case .column(_, .id)? = a.argument { return nil }
      return a.argument.map { String(describing: $0) }
    }
    sameArgument = arguments.indices.map { a in arguments[..<a].firstIndex { $0 != nil && $0 == arguments[a] } ?? a }
  }

  /// New, empty tables: one per grouping set.
  func makeTables() -> [GroupTable] {
    query.groupingSets.map { GroupTable(layout: layout, keys: $0, aggregates: query.aggregates) }
  }

  /// Adds the rows of `batch` in `selection` to `tables`.
  /// - Complexity: O(rows × (keys + aggregates)), plus O(rows in a flag) per flag of an EACH key.
  func add(_ batch: RowGroupBatch, selection: Bitmap, to tables: [GroupTable]) throws {
    let part = RowGroupStatistics(file: batch.file, group: batch.group)
    let keyVectors = try query.keys.map { key -> Vector? in
      guard case .expression(let e, _) = key else { return nil }
      // A key the same on every row (the year of a year's segment) is not computed per row.
      if let value = StatisticsFilter.constant(e, part) { return .constant(value, count: batch.count) }
      // Keys are read at the selected rows only.
      if case .column(let p, _) = e { return try batch.column(p, selected: selection) }
      return try Evaluator.evaluate(e, batch)
    }
    var flagBits: [Bitmap] = []
    var noFlag: Bitmap? = nil
    if let eachKey, case .each(let set, let keepEmpty, _) = query.keys[eachKey] {
      flagBits = try set.codes.indices.map { try batch.column(set.first + $0).truthsIgnoringNull() }
      if keepEmpty { noFlag = flagBits.reduce(Bitmap(count: batch.count)) { $0.or($1) }.inverted() }
    }
    var inputs: [Vector?] = []
    // count(DISTINCT pseudonym) takes the row group's case numbers as they are.
    var numbers: [RowGroupCases?] = []
    for (i, a) in query.aggregates.enumerated() {
      if a.distinct, case .column(let p, .id)? = a.argument {
        numbers.append(try cases.rowGroup(batch.file, group: batch.group, physical: p))
        inputs.append(nil)
        continue
      }
      numbers.append(nil)
      if sameArgument[i] < i {
        inputs.append(inputs[sameArgument[i]])
      } else {
        inputs.append(try a.argument.map { try Evaluator.evaluate($0, batch) })
      }
    }
    let masks = try query.aggregates.map { a in
      try a.filter.map { selection.and(try Evaluator.evaluate($0, batch).truths()) } ?? selection
    }
    var groups: [Int32] = []
    for table in tables {
      if countsOnly, eachKey == nil, table.keys.count == 1, let vector = keyVectors[table.keys[0]],
        addCounts(vector, key: table.keys[0], selection: selection, to: table)
      {
        continue
      }
      var resolver = GroupResolver(
        table: table, vectors: keyVectors, eachKey: eachKey, flags: flagBits.count, selection: selection)
      guard let eachKey, table.keys.contains(eachKey) else {
        resolver.groups(for: selection, flag: nil, into: &groups)
        for (a, state) in table.states.enumerated() {
          state.add(masks[a], groups: groups, input: inputs[a], cases: numbers[a])
        }
        continue
      }
      for (flag, bits) in flagBits.enumerated() {
        let rows = selection.and(bits)
        guard rows.trueCount > 0 else { continue }
        resolver.groups(for: rows, flag: flag, into: &groups)
        for (a, state) in table.states.enumerated() {
          state.add(masks[a].and(bits), groups: groups, input: inputs[a], cases: numbers[a])
        }
      }
      if let noFlag {
        resolver.groups(for: selection.and(noFlag), flag: nil, into: &groups)
        for (a, state) in table.states.enumerated() {
          state.add(masks[a].and(noFlag), groups: groups, input: inputs[a], cases: numbers[a])
        }
      }
    }
  }

  /// count(*) by one integer key of a small range in the row group: a histogram of the
  /// key's values, then one group lookup per value present. False (nothing added) when
  /// the key is not of that kind.
  /// - Complexity: O(rows + range of the key).
  private func addCounts(_ vector: Vector, key k: Int, selection: Bitmap, to table: GroupTable) -> Bool {
    guard case .ints(let values, let valid) = vector, !values.isEmpty else { return false }
    let rows = valid.map { selection.and($0) } ?? selection
    let every = rows.trueCount == rows.count
    // The range of the counted values: all of them, or (after a filter) the selected ones.
    var low = Int64.max
    var high = Int64.min
    if every {
      for v in values {
        low = min(low, v)
        high = max(high, v)
      }
    } else {
      values.withUnsafeBufferPointer { v in
        rows.forEachSetBit {
          low = min(low, v[$0])
          high = max(high, v[$0])
        }
      }
    }
    // No value counted (only NULLs, if anything): the histogram has one empty slot.
    if low > high { (low, high) = (0, 0) }
    guard high &- low >= 0, high - low < 1 << 16 else { return false }
    let width = Int(high - low) + 1
    // Four interleaved histograms: sorted keys repeat, and one counter would make every
    // increment wait for the last.
    var histogram = [Int](repeating: 0, count: 4 * width)
    histogram.withUnsafeMutableBufferPointer { h in
      values.withUnsafeBufferPointer { v in
        if every {
          var r = 0
          while r + 4 <= v.count {
            h[Int(v[r] &- low)] &+= 1
            h[width + Int(v[r + 1] &- low)] &+= 1
            h[2 * width + Int(v[r + 2] &- low)] &+= 1
            h[3 * width + Int(v[r + 3] &- low)] &+= 1
            r += 4
          }
          while r < v.count {
            h[Int(v[r] &- low)] &+= 1
            r += 1
          }
        } else {
          rows.forEachSetBit { h[Int(v[$0] &- low)] &+= 1 }
        }
      }
    }
    var words = [Int64](repeating: 0, count: layout.width)
    func add(_ n: Int, value: Int64?) {
      for i in words.indices { words[i] = 0 }
      words[0] = table.absentMask | (value == nil ? 1 << Int64(k) : 0)
      words[layout.offsets[k]] = value ?? 0
      let g = words.withUnsafeBufferPointer { table.group(for: $0) }
      for state in table.states { state.addRows(n, group: g) }
    }
    for i in 0..<width {
      let n = histogram[i] + histogram[width + i] + histogram[2 * width + i] + histogram[3 * width + i]
      if n > 0 { add(n, value: low + Int64(i)) }
    }
    if valid != nil, case let nulls = selection.trueCount - rows.trueCount, nulls > 0 { add(nulls, value: nil) }
    return true
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
