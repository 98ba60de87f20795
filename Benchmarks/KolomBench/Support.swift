// Timing, tables and JSON for KolomBench.
import Foundation

func cells(_ values: [String]) -> String {
  "  " + values.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()
}

func row(_ name: String, _ value: String) -> String {
  "  " + name.padding(toLength: 44, withPad: " ", startingAt: 0) + value
}

/// Median wall time of `runs` runs of `body`.
func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<runs {
    var watch = Stopwatch()
    try body()
    times.append(watch.lap())
  }
  return times.sorted()[times.count / 2]
}

struct Stopwatch {
  var start = DispatchTime.now().uptimeNanoseconds
  mutating func lap() -> Double {
    let now = DispatchTime.now().uptimeNanoseconds
    defer { start = now }
    return Double(now - start) / 1e9
  }
}
