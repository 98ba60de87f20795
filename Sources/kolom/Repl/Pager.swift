// Pager: long results through $PAGER (by default less -SRFX: no wrapping, colours
// kept, quits when the text fits, leaves it on the screen).
import Foundation

enum Pager {
  /// Shows `text` in the pager; false when none could be started (then print it).
  static func show(_ text: String) -> Bool {
    let command = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -SRFX"
    guard let pipe = popen(command, "w") else { return false }
    fputs(text, pipe)
    return pclose(pipe) != -1
  }
}
