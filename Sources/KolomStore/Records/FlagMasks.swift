// A flag set's masks, one per record (bit f set when the record has flag f), counted per
// flag and turned into one bitmap per flag without a branch per flag: counts come from
// a histogram of the masks' bytes, bitmaps from 64 × 64 bit-matrix transposes.
import KolomFormat

/// The flag masks of one flag-set column of raw rows (see RecordRows).
struct FlagMasks {
  /// The rows' raw values, `width` per row; the masks are at `column`.
  let values: UnsafeBufferPointer<Int64>
  let width: Int
  let column: Int
  /// Flags in the set (at most 64).
  let flags: Int

  /// The mask of row `row`.
  @inline(__always)
  subscript(row: Int) -> UInt64 { UInt64(bitPattern: values[row * width + column]) }

  /// For each of `sets` (flag-set columns of the same rows), how many of `rows` have
  /// each flag: one pass over the rows.
  /// - Complexity: O(rows × bytes of the masks + 256 × flags).
  static func counts(_ sets: [FlagMasks], rows: Range<Int>) -> [[Int]] {
    // Per set, a histogram of each byte of its masks.
    let offsets = sets.reduce(into: [0]) { $0.append($0.last! + ($1.flags + 7) / 8 * 256) }
    var histogram = [Int](repeating: 0, count: offsets.last!)
    histogram.withUnsafeMutableBufferPointer { histogram in
      for row in rows {
        for (s, set) in sets.enumerated() {
          let mask = set[row]
          for b in 0..<((set.flags + 7) / 8) {
            histogram[offsets[s] + b * 256 + Int(truncatingIfNeeded: mask >> UInt64(8 * b) & 0xFF)] += 1
          }
        }
      }
    }
    return sets.enumerated().map { s, set in
      (0..<set.flags).map { f in
        let bytes = histogram[(offsets[s] + (f >> 3) * 256)..<(offsets[s] + (f >> 3) * 256 + 256)]
        return bytes.indices.reduce(0) { ($1 - bytes.startIndex) >> (f & 7) & 1 == 1 ? $0 + bytes[$1] : $0 }
      }
    }
  }

  /// One bitmap per flag over rows `0..<count`: bit i of bitmap f is flag f of row i.
  /// - Complexity: O(count × 6): a transpose per 64 rows.
  func bitmaps(count: Int) -> [Bitmap] {
    let wordCount = Bitmap.wordCount(count)
    var words = [UInt64](repeating: 0, count: flags * wordCount)
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { block in
      words.withUnsafeMutableBufferPointer { words in
        for w in 0..<wordCount {
          for i in 0..<64 { block[i] = w * 64 + i < count ? self[w * 64 + i] : 0 }
          precondition(
            flags == 64 || block.allSatisfy { $0 >> UInt64(flags) == 0 }, "a mask beyond a set of \(flags) flags")
          Self.transpose(block)
          for f in 0..<flags { words[f * wordCount + w] = block[f] }
        }
      }
    }
    return (0..<flags).map { Bitmap(words: Array(words[($0 * wordCount)..<(($0 + 1) * wordCount)]), count: count) }
  }

  /// Transposes a 64 × 64 bit matrix in place: bit j of row i becomes bit i of row j
  /// (Hacker's Delight 7-3: swap the off-diagonal blocks of halves, then of quarters, …).
  static func transpose(_ rows: UnsafeMutableBufferPointer<UInt64>) {
    var j = 32
    var mask: UInt64 = 0x0000_0000_FFFF_FFFF
    while j != 0 {
      var k = 0
      while k < 64 {
        let t = ((rows[k] >> UInt64(j)) ^ rows[k + j]) & mask
        rows[k] ^= t << UInt64(j)
        rows[k + j] ^= t
        k = (k + j + 1) & ~j
      }
      j >>= 1
      mask ^= mask << UInt64(j)
    }
  }
}
