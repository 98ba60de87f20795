// kolom verify: every chunk decoded and every statistic recomputed, per file.
import KolomFormat

enum VerifyCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: [])
    guard !args.positional.isEmpty else { throw UsageError("verify needs FILE…") }
    var failed = 0
    for path in args.positional {
      do {
        let reader = try SegmentReader(FileSegment(path: path))
        try reader.verify()
        print("\(path): ok, \(reader.footer.rowCount) rows, \(reader.footer.chunks.count) chunks verified")
      } catch {
        failed += 1
        print("\(path): FAILED: \(error)")
      }
    }
    if failed > 0 { throw CLIError("\(failed) of \(args.positional.count) files failed verification") }
  }
}
