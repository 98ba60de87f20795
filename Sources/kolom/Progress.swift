// Progress of long operations on a terminal (records, bytes, rate, time left);
// silent when standard error is not a terminal.
import Foundation

/// Reports progress on standard error when it is a terminal.
final class Progress {
  private let label: String
  private let total: Int?
  /// Bytes to read in all, when the time left is reckoned by bytes (ingest).
  private let totalBytes: Int?
  private let started = Date()
  private var lastDraw = Date.distantPast
  private let enabled = isatty(STDERR_FILENO) == 1

  init(label: String, total: Int? = nil, totalBytes: Int? = nil) {
    self.label = label
    self.total = total
    self.totalBytes = totalBytes
  }

  /// Shows `records` done (of `total`) and `bytes` written so far, at most ten times a second.
  func update(records: Int, bytes: Int = 0) {
    guard enabled, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = Date()
    let seconds = max(Date().timeIntervalSince(started), 0.001)
    let rate = Double(records) / seconds
    var line = "\(label): \(records)"
    if let total { line += " of \(total)" }
    line += " records, \(bytes / 1_000_000)"
    if let totalBytes { line += " of \(totalBytes / 1_000_000)" }
    line += " MB, \(Int(rate)) records/s"
    if let total, rate > 0 { line += ", \(Int(Double(total - records) / rate)) s left" }
    if let totalBytes, bytes > 0 {
      line += ", \(Int(Double(totalBytes - bytes) * seconds / Double(bytes))) s left"
    }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
  }

  /// Clears the progress line.
  func finish() {
    if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
