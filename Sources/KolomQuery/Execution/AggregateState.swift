// AggregateState: one aggregate's running values for every group of a table, updated
// a row group at a time (mask of contributing rows, group of each row), merged across
// workers, and finished into one value per group. Exact throughout: distinct values
// are kept, quantiles sort every value.
import KolomFormat

/// The state of one aggregate over the groups of a table.
final class AggregateState: @unchecked Sendable {
  let aggregate: BoundAggregate
  /// For text min/max: ranks of the dictionary, and back.
  private let ranks: [Int64]?
  private let unranks: [Int64]?
  private var counts: [Int64] = []
  private var ints: [Int64] = []
  private var doubles: [Double] = []
  private var sets: [DistinctSet] = []
  /// count(DISTINCT pseudonym): each group's case numbers, with repeats until the list
  /// outgrows its limit and is deduplicated in place (so at most twice the distinct).
  private let numbered: Bool
  private var numberLists: [[UInt32]] = []
  private var numberLimits: [Int] = []
  /// A bit per case number, clear between uses.
  private var seen: [UInt64] = []
  /// A quantile of the same values as an earlier aggregate reads that one's lists
  /// (set before any row is added) and keeps only its counts.
  var sharesValuesOf: AggregateState? = nil
  /// Groups whose value list is sorted (quantiles sort once, when finishing).
  private var sortedGroups = Set<Int>()
  private var intLists: [[Int64]] = []
  private var doubleLists: [[Double]] = []

  init(_ aggregate: BoundAggregate) {
    self.aggregate = aggregate
    if aggregate.distinct, case .column(_, .id)? = aggregate.argument { numbered = true } else { numbered = false }
    if let dictionary = aggregate.argument?.type.dictionary,
      aggregate.function == .min || aggregate.function == .max
    {
      ranks = dictionary.ranks
      var back = [Int64](repeating: 0, count: dictionary.ranks.count)
      for (i, r) in dictionary.ranks.enumerated() { back[Int(r)] = Int64(i) }
      unranks = back
    } else {
      ranks = nil
      unranks = nil
    }
  }

  private var isDouble: Bool { aggregate.argument?.type == .double }

  private var isQuantile: Bool {
    switch aggregate.function {
    case .quantileContinuous, .quantileDiscrete: true
    default: false
    }
  }

  /// Whether `other` is a quantile of exactly the values this one keeps.
  func keepsSameValues(as other: AggregateState) -> Bool {
    guard isQuantile, other.isQuantile, sharesValuesOf == nil, let a = aggregate.argument,
      let b = other.aggregate.argument
    else { return false }
    return String(describing: a) == String(describing: b)
      && String(describing: aggregate.filter) == String(describing: other.aggregate.filter)
  }

  /// Makes room for `groups` groups.
  func ensure(groups: Int) {
    guard counts.count < groups else { return }
    let extra = groups - counts.count
    counts += repeatElement(0, count: extra)
    switch aggregate.function {
    case _ where numbered:
      numberLists += repeatElement([], count: extra)
      numberLimits += repeatElement(AggregateState.firstLimit, count: extra)
    case _ where aggregate.distinct: sets += repeatElement(DistinctSet(), count: extra)
    case .sum, .avg, .min, .max:
      if isDouble { doubles += repeatElement(0, count: extra) } else { ints += repeatElement(0, count: extra) }
    case .quantileContinuous, .quantileDiscrete:
      if isDouble {
        doubleLists += repeatElement([], count: extra)
      } else {
        intLists += repeatElement([], count: extra)
      }
    case .countStar, .count: break
    }
  }

  /// Adds `rows` rows to `group` without looking at values (count(*) from statistics).
  func addRows(_ rows: Int, group: Int) {
    precondition(aggregate.function == .countStar && aggregate.filter == nil, "row count for \(aggregate.text)")
    counts[group] &+= Int64(rows)
  }

  /// Adds the rows set in `mask`, row r to group `groups[r]`, with the argument's values `input`.
  /// - Complexity: O(rows in mask), plus sorting nothing (quantiles sort when finished).
  func add(_ mask: Bitmap, groups: [Int32], input: Vector?, cases: RowGroupCases? = nil) {
    if let cases { return addNumbers(mask, groups, cases.numbers) }
    guard let input else { return addCounts(mask, groups) }
    let rows = input.validity.map { mask.and($0) } ?? mask
    if aggregate.distinct { return addDistinct(rows, groups, input) }
    switch aggregate.function {
    case .countStar, .count: addCounts(rows, groups)
    case .sum, .avg:
      // Through buffers: a class's stored arrays pay an exclusivity check per access.
      if isDouble {
        let v = input.doubles()
        doubles.withUnsafeMutableBufferPointer { sums in
          counts.withUnsafeMutableBufferPointer { counts in
            rows.forEachSetBit { r in
              let g = Int(groups[r])
              sums[g] += v[r]
              counts[g] &+= 1
            }
          }
        }
      } else {
        let v = input.integers()
        ints.withUnsafeMutableBufferPointer { sums in
          counts.withUnsafeMutableBufferPointer { counts in
            rows.forEachSetBit { r in
              let g = Int(groups[r])
              sums[g] &+= v[r]
              counts[g] &+= 1
            }
          }
        }
      }
    case .min, .max: addExtremes(rows, groups, input)
    case .quantileContinuous, .quantileDiscrete:
      addCounts(rows, groups)
      if sharesValuesOf != nil { return }
      if isDouble {
        AggregateState.append(input.doubles(), rows, groups, to: &doubleLists)
      } else {
        AggregateState.append(input.integers(), rows, groups, to: &intLists)
      }
    }
  }

  /// Appends row r's value to list `groups[r]`, for the rows in `rows`.
  private static func append<T>(_ values: [T], _ rows: Bitmap, _ groups: [Int32], to lists: inout [[T]]) {
    var local = lists  // a local, not the class's stored array: no exclusivity check per row
    lists = []
    rows.forEachSetBit { local[Int(groups[$0])].append(values[$0]) }
    lists = local
  }

  private func addCounts(_ rows: Bitmap, _ groups: [Int32]) {
    counts.withUnsafeMutableBufferPointer { counts in
      groups.withUnsafeBufferPointer { groups in rows.forEachSetBit { counts[Int(groups[$0])] &+= 1 } }
    }
  }

  private func addExtremes(_ rows: Bitmap, _ groups: [Int32], _ input: Vector) {
    let isMin = aggregate.function == .min
    if isDouble {
      let v = input.doubles()
      rows.forEachSetBit { r in
        let g = Int(groups[r])
        if counts[g] == 0 || (isMin ? v[r] < doubles[g] : v[r] > doubles[g]) { doubles[g] = v[r] }
        counts[g] &+= 1
      }
      return
    }
    var v = input.integers()
    if let ranks { v = v.map { ranks[Int($0)] } }
    rows.forEachSetBit { r in
      let g = Int(groups[r])
      if counts[g] == 0 || (isMin ? v[r] < ints[g] : v[r] > ints[g]) { ints[g] = v[r] }
      counts[g] &+= 1
    }
  }

  /// Adds the case numbers of the rows in `rows` (NULL pseudonyms, `RowGroupCases.null`, are not counted).
  private func addNumbers(_ rows: Bitmap, _ groups: [Int32], _ numbers: [UInt32]) {
    var lastGroup: Int32 = -1
    var last = RowGroupCases.null
    // Worked on as locals: a class's stored arrays pay an exclusivity check per access.
    var lists = numberLists
    numberLists = []
    let limits = numberLimits
    var full: [Int] = []
    lists.withUnsafeMutableBufferPointer { lists in
      numbers.withUnsafeBufferPointer { numbers in
        groups.withUnsafeBufferPointer { groups in
          rows.forEachSetBit { r in
            let g = groups[r]
            let n = numbers[r]
            if (g == lastGroup && n == last) || n == RowGroupCases.null { return }
            (lastGroup, last) = (g, n)
            lists[Int(g)].append(n)
            if lists[Int(g)].count == limits[Int(g)] { full.append(Int(g)) }
          }
        }
      }
    }
    numberLists = lists
    for g in full { deduplicate(g) }
  }

  private static let firstLimit = 4_096

  /// Removes repeats from group `g`'s case numbers; returns how many are left.
  @discardableResult
  private func deduplicate(_ g: Int) -> Int {
    var list = numberLists[g]
    numberLists[g] = []
    var bits = seen
    seen = []
    if let high = list.max(), Int(high >> 6) >= bits.count {
      bits += repeatElement(0, count: max(Int(high >> 6) + 1 - bits.count, bits.count))
    }
    var kept = 0
    bits.withUnsafeMutableBufferPointer { bits in
      list.withUnsafeMutableBufferPointer { list in
        for i in list.indices {
          let n = list[i]
          let bit: UInt64 = 1 << UInt64(n & 63)
          if bits[Int(n >> 6)] & bit == 0 {
            bits[Int(n >> 6)] |= bit
            list[kept] = n
            kept += 1
          }
        }
        for n in list[..<kept] { bits[Int(n >> 6)] = 0 }
      }
    }
    seen = bits
    list.removeLast(list.count - kept)
    numberLists[g] = list
    numberLimits[g] = max(2 * kept, AggregateState.firstLimit)
    return kept
  }

  private func addDistinct(_ rows: Bitmap, _ groups: [Int32], _ input: Vector) {
    precondition(!numbered, "count(DISTINCT pseudonym) takes the row group's case numbers")
    // Records of one case lie side by side, so most repeats are of the previous row.
    var lastGroup: Int32 = -1
    var lastA: UInt64 = 0
    var lastB: UInt64 = 0
    func add(_ g: Int32, _ a: UInt64, _ b: UInt64) {
      if g == lastGroup && a == lastA && b == lastB { return }
      (lastGroup, lastA, lastB) = (g, a, b)
      sets[Int(g)].insert(a, b)
    }
    switch input {
    case .bytes(let bytes, let width, _):
      precondition(width <= 16, "distinct of \(width)-byte values")
      bytes.withUnsafeBytes { raw in
        rows.forEachSetBit { r in
          var a: UInt64 = 0
          var b: UInt64 = 0
          for i in 0..<width {
            let byte = UInt64(raw[r * width + i])
            if i < 8 { a = a << 8 | byte } else { b = b << 8 | byte }
          }
          add(groups[r], a, b)
        }
      }
    case .doubles(let v, _):
      rows.forEachSetBit { add(groups[$0], (v[$0] == 0 ? 0.0 : v[$0]).bitPattern, 0) }
    default:
      let v = input.integers()
      rows.forEachSetBit { add(groups[$0], UInt64(bitPattern: v[$0]), 0) }
    }
  }

  /// Folds group `source` of `other` into group `group` of this state.
  func merge(_ other: AggregateState, _ source: Int, into group: Int) {
    let n = other.counts[source]
    if numbered {
      numberLists[group] += other.numberLists[source]
      if numberLists[group].count >= numberLimits[group] { deduplicate(group) }
      return
    }
    if aggregate.distinct {
      sets[group].formUnion(other.sets[source])
      return
    }
    switch aggregate.function {
    case .countStar, .count: break
    case .sum, .avg:
      if isDouble { doubles[group] += other.doubles[source] } else { ints[group] &+= other.ints[source] }
    case .min, .max:
      guard n > 0 else { break }
      let isMin = aggregate.function == .min
      if isDouble {
        let v = other.doubles[source]
        if counts[group] == 0 || (isMin ? v < doubles[group] : v > doubles[group]) { doubles[group] = v }
      } else {
        let v = other.ints[source]
        if counts[group] == 0 || (isMin ? v < ints[group] : v > ints[group]) { ints[group] = v }
      }
    case .quantileContinuous, .quantileDiscrete:
      if sharesValuesOf != nil { break }
      if isDouble { doubleLists[group] += other.doubleLists[source] } else { intLists[group] += other.intLists[source] }
    }
    counts[group] &+= n
  }

  /// The aggregate's value for `group`.
  /// - Complexity: O(v log v) for quantiles of v values, else O(1).
  func result(_ group: Int) -> Scalar {
    if numbered { return .int(Int64(deduplicate(group))) }
    if aggregate.distinct { return .int(Int64(sets[group].count)) }
    let n = counts[group]
    switch aggregate.function {
    case .countStar, .count: return .int(n)
    case _ where n == 0: return .null
    case .sum: return isDouble ? .double(doubles[group]) : .int(ints[group])
    case .avg: return .double((isDouble ? doubles[group] : Double(ints[group])) / Double(n))
    case .min, .max:
      if isDouble { return .double(doubles[group]) }
      return .int(unranks.map { $0[Int(ints[group])] } ?? ints[group])
    case .quantileContinuous(let q):
      let values = sharesValuesOf ?? self
      let sorted = isDouble ? values.sortedDoubles(group) : values.sortedInts(group).map(Double.init)
      let position = Double(sorted.count - 1) * q
      let low = Int(position.rounded(.down))
      let high = Int(position.rounded(.up))
      return .double(sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low]))
    case .quantileDiscrete(let q):
      let values = sharesValuesOf ?? self
      let count = Int(n)
      // DuckDB's index, computed the way it does so that rounding agrees: ⌈n·q⌉ − 1.
      let floored = Int((Double(count) - Double(count) * q).rounded(.down))
      let index = max(1, count - floored) - 1
      if isDouble { return .double(values.sortedDoubles(group)[index]) }
      return .int(values.sortedInts(group)[index])
    }
  }

  /// Group `group`'s values, sorted (in place, the first time).
  private func sortedInts(_ group: Int) -> [Int64] {
    if sortedGroups.insert(group).inserted { intLists[group] = AggregateState.sorted(intLists[group]) }
    return intLists[group]
  }

  private func sortedDoubles(_ group: Int) -> [Double] {
    if sortedGroups.insert(group).inserted { doubleLists[group].sort() }
    return doubleLists[group]
  }

  /// `values` in ascending order: counted when they span a small range (durations in
  /// days, years), which is linear, else compared.
  static func sorted(_ values: [Int64]) -> [Int64] {
    guard values.count > 256, let low = values.min(), let high = values.max(),
      high &- low >= 0, high &- low < Int64(min(1 << 22, 4 * values.count))
    else { return values.sorted() }
    var counts = [Int](repeating: 0, count: Int(high - low) + 1)
    for v in values { counts[Int(v - low)] += 1 }
    var sorted: [Int64] = []
    sorted.reserveCapacity(values.count)
    for (offset, count) in counts.enumerated() where count > 0 {
      sorted.append(contentsOf: repeatElement(low + Int64(offset), count: count))
    }
    return sorted
  }
}
