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
    if let (name, d) = best, d <= max(1, max(target.count, name.count) / 3) { return name }
    return longestCommonPrefix(target, candidates)
  }

  /// The candidate that begins like `target` for at least four characters and half of
  /// its length ('verslaafd' → 'verslaving'), or that `target` abbreviates ('M' →
  /// 'mannelijk') when only one does.
  private static func longestCommonPrefix(_ target: [Character], _ candidates: [String]) -> String? {
    let lowered = candidates.map { Array($0.lowercased()) }
    let abbreviated = candidates.indices.filter { lowered[$0].starts(with: target) }
    if !target.isEmpty, abbreviated.count == 1 { return candidates[abbreviated[0]] }
    var best: (Int, Int)? = nil
    for (i, candidate) in lowered.enumerated() {
      let shared = zip(target, candidate).prefix { $0 == $1 }.count
      if shared > (best?.1 ?? 0) { best = (i, shared) }
    }
    guard let (i, shared) = best, shared >= 4, 2 * shared >= target.count else { return nil }
    return candidates[i]
  }

  /// Edit distance counting an insertion, deletion, substitution or swap of two
  /// neighbouring characters as one edit (optimal string alignment), since swapped
  /// letters are the commonest typo.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[a.count][b.count]
  }
}
