// The generator's random source: SplitMix64, seeded per case, so that the same
// seed gives the same records however they are batched.
import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): fast, and the same sequence on every platform.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  /// The source of case `index` of a run with `seed`: independent streams per case.
  public init(seed: UInt64, stream index: UInt64) {
    var mixer = SeededRandom(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
    state = mixer.next()
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E659
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform number in [0, 1).
  public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// True with probability `p`.
  public mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// A standard normal deviate (Box–Muller).
  public mutating func normal() -> Double {
    let u = max(unit(), 0x1p-53)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
  }

  /// An index drawn with probability proportional to `cumulative` weights (ascending sums).
  public mutating func pick(cumulative: [Double]) -> Int {
    let target = unit() * cumulative.last!
    var lo = 0
    var hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }
}
