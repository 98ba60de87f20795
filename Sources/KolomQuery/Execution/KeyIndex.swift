// KeyIndex: the groups of an aggregation, found by their key. Every key is a fixed
// number of 64-bit words (a null mask, then each key's words), stored flat; the index
// is open addressing with linear probing, so finding a group costs one hash and
// usually one probe, with no allocation per row.

/// Group numbers by fixed-width keys of 64-bit words.
struct KeyIndex {
  /// Words per key.
  let width: Int
  /// The keys of the groups, `width` words each, in group order.
  private(set) var keys: [Int64] = []
  private var slots: [Int32]
  private var mask: Int

  init(width: Int) {
    precondition(width >= 1, "keys of \(width) words")
    self.width = width
    slots = [Int32](repeating: -1, count: 16)
    mask = 15
  }

  /// The number of groups.
  var count: Int { keys.count / width }

  /// The group of the key in `key` (`width` words), added when new.
  /// - Complexity: amortized O(width).
  mutating func group(for key: UnsafeBufferPointer<Int64>) -> Int {
    var slot = Int(truncatingIfNeeded: KeyIndex.hash(key)) & mask
    while true {
      let g = Int(slots[slot])
      if g < 0 { return insert(key, at: slot) }
      if matches(g, key) { return g }
      slot = (slot + 1) & mask
    }
  }

  /// The group of `key`, added when new.
  mutating func group(for key: [Int64]) -> Int {
    key.withUnsafeBufferPointer { group(for: $0) }
  }

  /// Key word `word` of group `group`.
  func key(_ group: Int, word: Int) -> Int64 { keys[group * width + word] }

  private func matches(_ group: Int, _ key: UnsafeBufferPointer<Int64>) -> Bool {
    let base = group * width
    for i in 0..<width where keys[base + i] != key[i] { return false }
    return true
  }

  private mutating func insert(_ key: UnsafeBufferPointer<Int64>, at slot: Int) -> Int {
    let g = count
    keys.append(contentsOf: key)
    slots[slot] = Int32(g)
    if (g + 1) * 2 > slots.count { grow() }
    return g
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    keys.withUnsafeBufferPointer { all in
      for g in 0..<count {
        let key = UnsafeBufferPointer(rebasing: all[(g * width)..<(g * width + width)])
        var slot = Int(truncatingIfNeeded: KeyIndex.hash(key)) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(g)
      }
    }
  }

  /// A 64-bit mix of the words (splitmix64 finalizer per word).
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<Int64>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    for word in key {
      var z = h ^ UInt64(bitPattern: word)
      z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E659
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      h = z ^ (z >> 31)
    }
    return h
  }
}
