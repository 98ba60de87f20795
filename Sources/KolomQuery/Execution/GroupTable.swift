// GroupTable: the groups of one grouping set in one worker: their keys (as words of a
// KeyIndex) and every aggregate's state. Workers' tables are merged at the end.
import KolomFormat

/// How a key is held as words: one word for int-like values, the bit pattern of a double,
/// a pseudonym's bytes as big-endian words.
struct KeyLayout: Sendable {
  let types: [ValueType]
  /// The first word of each key (word 0 is the null mask).
  let offsets: [Int]
  /// Words per group key.
  let width: Int

  init(types: [ValueType]) {
    precondition(types.count <= 63, "\(types.count) group keys")
    self.types = types
    var offsets: [Int] = []
    var next = 1
    for type in types {
      offsets.append(next)
      if case .id(let w) = type { next += (w + 7) / 8 } else { next += 1 }
    }
    self.offsets = offsets
    width = next
  }

  /// Key `k` of the key in `words` as a scalar.
  func scalar(_ words: (Int) -> Int64, key k: Int) -> Scalar {
    if words(0) >> Int64(k) & 1 == 1 { return .null }
    let at = offsets[k]
    switch types[k] {
    case .double: return .double(Double(bitPattern: UInt64(bitPattern: words(at))))
    case .bool: return .bool(words(at) != 0)
    case .id(let w):
      var bytes: [UInt8] = []
      for i in 0..<w {
        bytes.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: words(at + i / 8)) >> UInt64(56 - 8 * (i % 8))))
      }
      return .bytes(bytes)
    default: return .int(words(at))
    }
  }

  /// Writes `value` as key `k` into `words`.
  func write(_ value: Scalar, key k: Int, into words: UnsafeMutableBufferPointer<Int64>) {
    let at = offsets[k]
    switch value {
    case .null: words[0] |= 1 << Int64(k)
    case .int(let v): words[at] = v
    case .double(let v): words[at] = Int64(bitPattern: (v == 0 ? 0.0 : v).bitPattern)
    case .bool(let v): words[at] = v ? 1 : 0
    case .bytes(let b):
      for (i, byte) in b.enumerated() {
        words[at + i / 8] = Int64(
          bitPattern: UInt64(bitPattern: words[at + i / 8]) | UInt64(byte) << UInt64(56 - 8 * (i % 8)))
      }
    }
  }
}

/// The groups of one grouping set, and their aggregate states. A table belongs to one
/// worker at a time; it is handed over only when the worker is done with it.
final class GroupTable: @unchecked Sendable {
  let layout: KeyLayout
  /// The query keys this grouping set groups by; the others are NULL in its rows.
  let keys: [Int]
  private(set) var index: KeyIndex
  let states: [AggregateState]

  init(layout: KeyLayout, keys: [Int], aggregates: [BoundAggregate]) {
    self.layout = layout
    self.keys = keys
    index = KeyIndex(width: layout.width)
    states = aggregates.map(AggregateState.init)
    // median(x) and quantile_cont(x, 0.9) keep x's values once.
    for (i, state) in states.enumerated() {
      state.sharesValuesOf = states[..<i].first { $0.keepsSameValues(as: state) }
    }
  }

  var count: Int { index.count }

  /// The group of the key in `words`, created (with empty states) when new.
  func group(for words: UnsafeBufferPointer<Int64>) -> Int {
    let g = index.group(for: words)
    if g >= capacity {
      capacity = max(g + 1, capacity * 2, 16)
      for state in states { state.ensure(groups: capacity) }
    }
    return g
  }
  /// Groups the states have room for.
  private var capacity = 0

  /// The null mask word for the keys outside this grouping set.
  var absentMask: Int64 {
    var mask: Int64 = 0
    for k in layout.types.indices where !keys.contains(k) { mask |= 1 << Int64(k) }
    return mask
  }

  /// Adds every group of `other` (same grouping set) into this table.
  func merge(_ other: GroupTable) {
    var words = [Int64](repeating: 0, count: layout.width)
    for source in 0..<other.count {
      for w in 0..<layout.width { words[w] = other.index.key(source, word: w) }
      let target = words.withUnsafeBufferPointer { group(for: $0) }
      for (mine, theirs) in zip(states, other.states) { mine.merge(theirs, source, into: target) }
    }
  }

  /// Key `k` of group `group`.
  func key(_ group: Int, _ k: Int) -> Scalar {
    layout.scalar({ index.key(group, word: $0) }, key: k)
  }
}
