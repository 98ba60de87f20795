// Runs: fixed-width byte values as runs of equal adjacent values, the RUNS encoding
// (format-spec/encodings.md, encoding 2). A pseudonym repeats on the adjacent records
// of one case, so its column is mostly repeats.
//
//  run starts  8 × ⌈n / 64⌉ bytes   bit j set when value j starts a run
//  run values  k × width bytes       each run's value once, k = runs = the chunk's base

/// Fixed-width values split into runs of equal adjacent values.
struct Runs {
  /// Bit j set when value j starts a run: j = 0, or it differs from value j − 1.
  var starts: Bitmap
  /// Each run's value once, `count × width` bytes.
  var values: [UInt8]
  /// The number of runs.
  var count: Int

  /// The runs of `dense`: values of `width` bytes, one after another.
  /// - Complexity: O(dense.count).
  init(_ dense: [UInt8], width: Int) {
    precondition(width > 0 && dense.count % width == 0, "\(dense.count) bytes of width \(width)")
    let n = dense.count / width
    starts = Bitmap(count: n)
    values = []
    count = 0
    dense.withUnsafeBytes { all in
      for j in 0..<n {
        let value = UnsafeRawBufferPointer(rebasing: all[(j * width)..<(j * width + width)])
        if j > 0 && value.elementsEqual(all[((j - 1) * width)..<(j * width)]) { continue }
        starts[j] = true
        values += value
        count += 1
      }
    }
  }

  /// Whether these runs take fewer raw bytes than the `plainBytes` of PLAIN.
  func saves(over plainBytes: Int) -> Bool { starts.words.count * 8 + values.count < plainBytes }

  /// The `n` values of width `width` that the raw RUNS bytes `raw` hold in `runs` runs.
  /// The raw length was checked against the footer; the run starts are checked here.
  static func expand(
    _ raw: UnsafeBufferPointer<UInt64>, count n: Int, runs: Int, width: Int, at: FileLocation
  ) throws -> [UInt8] {
    let startWords = Bitmap.wordCount(n)
    let starts = UnsafeBufferPointer(rebasing: raw[0..<startWords])
    let tail = n & 63
    let tailIsClear = tail == 0 || starts[startWords - 1] >> UInt64(tail) == 0
    let marked = starts.reduce(0) { $0 &+ $1.nonzeroBitCount }
    guard marked == runs, tailIsClear, n == 0 || starts[0] & 1 == 1 else {
      throw FormatError.inconsistent(
        at: at,
        detail: "RUNS chunk marks \(marked) run starts (first bit \(n > 0 ? starts[0] & 1 : 0)), footer says \(runs)")
    }
    let values = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: raw[startWords...]))
    precondition(values.count >= runs * width, "raw length of a RUNS chunk was not checked")
    return [UInt8](unsafeUninitializedCapacity: n * width) { out, initialized in
      // Bit 0 is set (checked above), so `run` is a valid index from the first value on.
      var run = -1
      for j in 0..<n {
        if starts[j >> 6] >> UInt64(j & 63) & 1 == 1 { run &+= 1 }
        UnsafeMutableRawPointer(out.baseAddress! + j * width).copyMemory(
          from: values.baseAddress! + run * width, byteCount: width)
      }
      initialized = n * width
    }
  }
}
