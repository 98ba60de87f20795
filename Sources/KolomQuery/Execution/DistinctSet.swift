// DistinctSet: the exact set of distinct values of count(DISTINCT …) in one group.
// Values are one or two 64-bit words (a pseudonym is 16 bytes); open addressing with
// linear probing, since pseudonyms are uniformly random and need no further hashing.

/// A set of one- or two-word values.
struct DistinctSet: Sendable {
  private var first: [UInt64]
  private var second: [UInt64]
  private var used: [Bool]
  private(set) var count = 0
  private var mask: Int

  init() {
    first = [UInt64](repeating: 0, count: 8)
    second = first
    used = [Bool](repeating: false, count: 8)
    mask = 7
  }

  /// Adds the value (a, b); one-word values pass b = 0.
  @inline(__always)
  mutating func insert(_ a: UInt64, _ b: UInt64) {
    var slot = Int(truncatingIfNeeded: DistinctSet.mix(a ^ (b &* 0x9E37_79B9_7F4A_7C15))) & mask
    while used[slot] {
      if first[slot] == a && second[slot] == b { return }
      slot = (slot + 1) & mask
    }
    used[slot] = true
    first[slot] = a
    second[slot] = b
    count += 1
    if count * 2 > used.count { grow() }
  }

  /// Adds every value of `other`.
  mutating func formUnion(_ other: DistinctSet) {
    for slot in other.used.indices where other.used[slot] { insert(other.first[slot], other.second[slot]) }
  }

  private mutating func grow() {
    let (oldFirst, oldSecond, oldUsed) = (first, second, used)
    let size = used.count * 2
    first = [UInt64](repeating: 0, count: size)
    second = first
    used = [Bool](repeating: false, count: size)
    mask = size - 1
    count = 0
    for slot in oldUsed.indices where oldUsed[slot] { insert(oldFirst[slot], oldSecond[slot]) }
  }

  @inline(__always)
  private static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E659
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
