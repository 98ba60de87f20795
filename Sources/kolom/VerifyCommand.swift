// kolom verify: a whole store (manifest against files, every checksum and statistic),
// or segment files one by one.
import Foundation
import KolomFormat
import KolomStore

enum VerifyCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["now"])
    guard !args.positional.isEmpty else { throw UsageError("verify needs a STORE or FILE…") }
    if args.positional.count == 1, FileManager.default.fileExists(atPath: args.positional[0] + "/CURRENT") {
      try verifyStore(args.positional[0], clock: try args.clock())
    } else {
      try verifyFiles(args.positional)
    }
  }

  static func verifyStore(_ path: String, clock: StoreClock) throws {
    let store = try Store.open(at: path, mode: .reader, clock: clock)
    let total = store.info.bytes
    let progress = Progress(label: "verifying")
    let started = Date()
    let report = store.verify { progress.update(records: 0, bytes: $0) }
    progress.finish()
    for problem in report.problems { print("PROBLEM \(problem)") }
    let seconds = Date().timeIntervalSince(started)
    print(
      "\(path): \(report.isClean ? "ok" : "\(report.problems.count) problems"); \(report.filesChecked) files, "
        + "\(report.recordsChecked) records, \(total) bytes checked in \(String(format: "%.2f", seconds)) s")
    if !report.isClean { throw CLIError("verification found \(report.problems.count) problems") }
  }

  static func verifyFiles(_ paths: [String]) throws {
    var failed = 0
    for path in paths {
      do {
        let reader = try SegmentReader(FileSegment(path: path))
        try reader.verify()
        print("\(path): ok, \(reader.footer.rowCount) rows, \(reader.footer.chunks.count) chunks verified")
      } catch {
        failed += 1
        print("\(path): FAILED: \(error)")
      }
    }
    if failed > 0 { throw CLIError("\(failed) of \(paths.count) files failed verification") }
  }
}
