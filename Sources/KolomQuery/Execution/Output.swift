// Output: the last steps of every query. Result rows (with their sort keys) are
// ordered, cut by LIMIT BY, OFFSET and LIMIT, and turned into values: codes into
// their text, day numbers into dates.
import KolomFormat
import KolomStore

/// A result row before it becomes values: the outputs, then the ORDER BY keys, then the LIMIT BY keys.
typealias PendingRow = [Scalar]

enum Output {
  /// The result of an aggregate query over its table of groups.
  static func result(query: BoundQuery, groups: GroupBatch, counts: ScanCounts) throws -> ResultSet {
    var keep = Bitmap(count: groups.count, value: true)
    if let having = query.having { keep = try Evaluator.evaluate(having, groups).truths() }
    let outputs = try query.outputs.map { output -> Vector in
      guard case .expression(let e) = output.source else { preconditionFailure("flags after grouping") }
      return try Evaluator.evaluate(e, groups)
    }
    // Without ORDER BY, groups come in key order, so results are the same every run.
    let order =
      query.order.isEmpty
      ? query.keys.enumerated().map {
        BoundOrder(expression: .grouped($0, $1.type), descending: false, nullsFirst: false)
      }
      : query.order
    let orderVectors = try order.map { try Evaluator.evaluate($0.expression, groups) }
    let limitVectors = try query.limitBy.map { try Evaluator.evaluate($0, groups) }
    var rows: [PendingRow] = []
    keep.forEachSetBit { g in
      rows.append(
        outputs.map { $0.scalar(at: g) } + orderVectors.map { $0.scalar(at: g) } + limitVectors.map { $0.scalar(at: g) }
      )
    }
    return finish(rows, query: query, order: order, counts: counts)
  }

  /// Orders, limits and converts pending rows.
  static func finish(_ pending: [PendingRow], query: BoundQuery, order: [BoundOrder], counts: ScanCounts) -> ResultSet {
    let outputCount = query.outputs.count
    var rows = pending
    if !order.isEmpty {
      // Ties are broken by the output columns, so equal queries give equal results.
      let keys =
        order.enumerated().map { (i, item) in (outputCount + i, item.descending, item.nullsFirst, item.expression.type)
        }
        + query.outputs.enumerated().map { ($0, false, false, $1.source.type) }
      rows.sort { a, b in
        for (at, descending, nullsFirst, type) in keys {
          let c = compare(a[at], b[at], type: type, nullsFirst: nullsFirst)
          if c != 0 { return descending && a[at] != .null && b[at] != .null ? c > 0 : c < 0 }
        }
        return false
      }
    }
    if !query.limitBy.isEmpty, let limit = query.limit {
      let first = outputCount + order.count
      var seen: [[Scalar]: Int] = [:]
      rows = rows.filter { row in
        let key = Array(row[first...])
        seen[key, default: 0] += 1
        return seen[key]! <= limit
      }
    } else {
      rows = Array(rows.dropFirst(query.offset ?? 0))
      if let limit = query.limit { rows = Array(rows.prefix(limit)) }
    }
    if !query.limitBy.isEmpty, let offset = query.offset { rows = Array(rows.dropFirst(offset)) }
    let columns = query.outputs.map { ResultColumn(name: $0.name, type: ResultType($0.source.type)) }
    let values = rows.map { row in query.outputs.indices.map { value(row[$0], query.outputs[$0].source.type) } }
    return ResultSet(columns: columns, rows: values, counts: counts)
  }

  /// −1, 0 or 1 as `a` sorts before, with or after `b`.
  static func compare(_ a: Scalar, _ b: Scalar, type: ValueType, nullsFirst: Bool) -> Int {
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return nullsFirst ? -1 : 1
    case (_, .null): return nullsFirst ? 1 : -1
    case (.int(let x), .int(let y)):
      if let ranks = type.dictionary?.ranks, x >= 0, y >= 0, Int(x) < ranks.count, Int(y) < ranks.count {
        return ranks[Int(x)] < ranks[Int(y)] ? -1 : (ranks[Int(x)] == ranks[Int(y)] ? 0 : 1)
      }
      return x < y ? -1 : (x == y ? 0 : 1)
    case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : 1)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
    default: return 0
    }
  }

  /// A scalar of `type` as a value.
  static func value(_ scalar: Scalar, _ type: ValueType) -> Value {
    switch (scalar, type) {
    case (.null, _): .null
    case (.int(let v), .date): .date(CivilDate(days: v))
    case (.int(let v), .text(let d)): v >= 0 && Int(v) < d.strings.count ? .text(d.strings[Int(v)]) : .null
    case (.int(let v), .bool): .bool(v != 0)
    case (.int(let v), _): .int(v)
    case (.double(let v), _): .double(v)
    case (.bool(let v), _): .bool(v)
    case (.bytes(let v), .flags(let set)): .text(FlagsText.text(v, set))
    case (.bytes(let v), _): .bytes(v)
    }
  }
}

/// A flag set shown in a row: its flags, ';'-separated (as ingest reads them).
enum FlagsText {
  /// The flags whose bits are set in `bits` (one byte per flag: 0 or 1).
  static func text(_ bits: [UInt8], _ set: FlagSet) -> String {
    zip(set.codes, bits).filter { $0.1 != 0 }.map(\.0).joined(separator: ";")
  }
}
