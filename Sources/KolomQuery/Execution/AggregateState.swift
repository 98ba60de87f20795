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
  private var intLists: [[Int64]] = []
  private var doubleLists: [[Double]] = []

  init(_ aggregate: BoundAggregate) {
    self.aggregate = aggregate
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

  /// Makes room for `groups` groups.
  func ensure(groups: Int) {
    guard counts.count < groups else { return }
    let extra = groups - counts.count
    counts += repeatElement(0, count: extra)
    switch aggregate.function {
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
  func add(_ mask: Bitmap, groups: [Int32], input: Vector?) {
    guard let input else {
      mask.forEachSetBit { counts[Int(groups[$0])] &+= 1 }
      return
    }
    let rows = input.validity.map { mask.and($0) } ?? mask
    if aggregate.distinct { return addDistinct(rows, groups, input) }
    switch aggregate.function {
    case .countStar, .count: rows.forEachSetBit { counts[Int(groups[$0])] &+= 1 }
    case .sum, .avg:
      if isDouble {
        let v = input.doubles()
        rows.forEachSetBit { r in
          let g = Int(groups[r])
          doubles[g] += v[r]
          counts[g] &+= 1
        }
      } else {
        let v = input.integers()
        rows.forEachSetBit { r in
          let g = Int(groups[r])
          ints[g] &+= v[r]
          counts[g] &+= 1
        }
      }
    case .min, .max: addExtremes(rows, groups, input)
    case .quantileContinuous, .quantileDiscrete:
      if isDouble {
        let v = input.doubles()
        rows.forEachSetBit { r in
          let g = Int(groups[r])
          doubleLists[g].append(v[r])
          counts[g] &+= 1
        }
      } else {
        let v = input.integers()
        rows.forEachSetBit { r in
          let g = Int(groups[r])
          intLists[g].append(v[r])
          counts[g] &+= 1
        }
      }
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

  private func addDistinct(_ rows: Bitmap, _ groups: [Int32], _ input: Vector) {
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
      if isDouble { doubleLists[group] += other.doubleLists[source] } else { intLists[group] += other.intLists[source] }
    }
    counts[group] &+= n
  }

  /// The aggregate's value for `group`.
  /// - Complexity: O(v log v) for quantiles of v values, else O(1).
  func result(_ group: Int) -> Scalar {
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
      let sorted = isDouble ? doubleLists[group].sorted() : intLists[group].sorted().map(Double.init)
      let position = Double(sorted.count - 1) * q
      let low = Int(position.rounded(.down))
      let high = Int(position.rounded(.up))
      return .double(sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low]))
    case .quantileDiscrete(let q):
      let count = isDouble ? doubleLists[group].count : intLists[group].count
      // DuckDB's index, computed the way it does so that rounding agrees: ⌈n·q⌉ − 1.
      let floored = Int((Double(count) - Double(count) * q).rounded(.down))
      let index = max(1, count - floored) - 1
      if isDouble { return .double(doubleLists[group].sorted()[index]) }
      return .int(intLists[group].sorted()[index])
    }
  }
}
