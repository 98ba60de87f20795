// "Did you mean": the nearest candidate by edit distance, for unknown names and codes.

/// Finds the nearest of a set of names.
public enum Suggestion {
  /// The candidate with the smallest edit distance to `text` (case-insensitive), if it
  /// is close enough to be a plausible typo (at most a third of the longer length).
  public static func nearest(to text: String, among candidates: [String]) -> String? {
    let target = Array(text.lowercased())
    var best: (String, Int)? = nil
    for candidate in candidates {
      let d = distance(target, Array(candidate.lowercased()))
      if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (name, d) = best, d <= max(1, max(target.count, name.count) / 3) else { return nil }
    return name
  }

  /// Levenshtein distance.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
