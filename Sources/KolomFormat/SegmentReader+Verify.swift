// Full verification of a segment: every chunk decoded, every statistic recomputed
// and compared with the footer (format-spec/statistics.md).

extension SegmentReader {
  /// Decodes every chunk and checks that the footer's statistics are exactly the
  /// recomputed ones. Throws the first problem found.
  /// - Complexity: O(rows × columns).
  public func verify() throws {
    for g in 0..<footer.rowGroups.count {
      for c in 0..<footer.columns.count {
        let data = try read(rowGroup: g, column: c)
        let recomputed = ChunkStatistics.compute(data, column: footer.columns[c])
        let stored = footer.chunk(rowGroup: g, column: c).statistics
        guard recomputed == stored else {
          throw FormatError.inconsistent(
            at: .chunk(rowGroup: g, column: c),
            detail: "statistics differ from the data: stored \(stored.summary), recomputed \(recomputed.summary)")
        }
      }
    }
  }
}

extension ChunkStatistics {
  /// A one-line rendering: nulls, min, max, true count, codes present.
  public var summary: String {
    var parts = ["nulls=\(nullCount)", "min=\(min)", "max=\(max)"]
    if trueCount > 0 { parts.append("true=\(trueCount)") }
    if let presence { parts.append("codes=\(presence.trueCount)") }
    return parts.joined(separator: " ")
  }
}
