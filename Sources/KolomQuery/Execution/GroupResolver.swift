// GroupResolver: the group of each row of a row group in one table. When every key
// has a small range in the row group (codes, years, flags), a row's keys combine into
// one small local number and a lookup array maps it to the table's group, so the hash
// table is consulted once per distinct key, not once per row.
import KolomFormat

struct GroupResolver {
  private let table: GroupTable
  private let vectors: [Vector?]
  private let eachKey: Int?
  /// The table's keys other than EACH.
  private let keys: [Int]
  /// Per row, the local number of its non-EACH keys; nil when the keys are not dense.
  private var local: [Int32]? = nil
  /// Local numbers per EACH flag step (the product of the other keys' ranges).
  private var stride = 1
  /// Local number → group + 1 (0: not yet resolved).
  private var cache: [Int32] = []
  private var words: [Int64]

  /// The largest lookup array kept per row group and table.
  static let maximumLocalGroups = 1 << 18

  /// A resolver for `table`'s rows of a row group: `vectors` are the key values (nil
  /// for EACH), `flags` the number of flags of the EACH key, `selection` the rows to group.
  init(table: GroupTable, vectors: [Vector?], eachKey: Int?, flags: Int, selection: Bitmap) {
    self.table = table
    self.vectors = vectors
    self.eachKey = eachKey.flatMap { table.keys.contains($0) ? $0 : nil }
    keys = table.keys.filter { $0 != eachKey }
    words = [Int64](repeating: 0, count: table.layout.width)
    prepareDense(selection, flagSlots: self.eachKey == nil ? 1 : flags + 1)
  }

  /// Computes local numbers when every key's values fall in a small range.
  private mutating func prepareDense(_ selection: Bitmap, flagSlots: Int) {
    let n = selection.count
    var codes = [Int32](repeating: 0, count: n)
    var product = 1
    for k in keys {
      guard let vector = vectors[k] else { return }
      switch vector {
      case .constant: continue
      case .ints(let values, let valid):
        var low = Int64.max
        var high = Int64.min
        // A sparse selection (a rare flag combination) is cheaper row by row.
        let sparse = selection.trueCount < n / 16
        if valid == nil && !sparse {
          // Over all rows (a superset of the selection's range), which vectorizes.
          for v in values {
            low = min(low, v)
            high = max(high, v)
          }
        } else {
          selection.forEachSetBit { r in
            if valid?[r] != false {
              low = min(low, values[r])
              high = max(high, values[r])
            }
          }
        }
        if low > high { (low, high) = (0, 0) }
        guard high &- low >= 0, high &- low < Int64(GroupResolver.maximumLocalGroups) else { return }
        let domain = Int(high - low) + 2
        guard product * domain <= GroupResolver.maximumLocalGroups else { return }
        let nullCode = Int32(domain - 1)
        let scale = Int32(product)
        if let valid {
          selection.forEachSetBit { r in codes[r] &+= (valid[r] ? Int32(values[r] - low) : nullCode) &* scale }
        } else if sparse {
          selection.forEachSetBit { r in codes[r] &+= Int32(truncatingIfNeeded: values[r] &- low) &* scale }
        } else {
          codes.withUnsafeMutableBufferPointer { codes in
            for r in 0..<n { codes[r] &+= Int32(truncatingIfNeeded: values[r] &- low) &* scale }
          }
        }
        product *= domain
      case .bools(let bits, let valid):
        guard product * 3 <= GroupResolver.maximumLocalGroups else { return }
        let scale = Int32(product)
        selection.forEachSetBit { r in codes[r] &+= (valid?[r] == false ? 2 : (bits[r] ? 1 : 0)) &* scale }
        product *= 3
      default: return
      }
    }
    guard product * flagSlots <= GroupResolver.maximumLocalGroups else { return }
    local = codes
    stride = product
    cache = [Int32](repeating: 0, count: product * flagSlots)
  }

  /// Sets the group of every row in `rows` in `groups` (other entries are left as they
  /// are), with the EACH key set to `flag` (nil: NULL, for KEEP EMPTY).
  mutating func groups(for rows: Bitmap, flag: Int?, into groups: inout [Int32]) {
    if groups.count < rows.count { groups = [Int32](repeating: 0, count: rows.count) }
    if let local {
      let offset = eachKey == nil ? 0 : (flag.map { $0 + 1 } ?? 0) * stride
      rows.forEachSetBit { r in
        let slot = Int(local[r]) + offset
        var g = cache[slot]
        if g == 0 {
          g = Int32(resolve(row: r, flag: flag)) + 1
          cache[slot] = g
        }
        groups[r] = g - 1
      }
    } else {
      rows.forEachSetBit { r in groups[r] = Int32(resolve(row: r, flag: flag)) }
    }
  }

  /// Looks up (or creates) the group of row `row`'s keys.
  private mutating func resolve(row: Int, flag: Int?) -> Int {
    let layout = table.layout
    let absent = table.absentMask
    let keys = self.keys
    let vectors = self.vectors
    let eachKey = self.eachKey
    return words.withUnsafeMutableBufferPointer { words in
      for i in words.indices { words[i] = 0 }
      words[0] = absent
      for k in keys { layout.write(vectors[k]!.scalar(at: row), key: k, into: words) }
      if let eachKey {
        if let flag { words[layout.offsets[eachKey]] = Int64(flag) } else { words[0] |= 1 << Int64(eachKey) }
      }
      return table.group(for: UnsafeBufferPointer(words))
    }
  }
}
