// The terminal the tool writes to: its width, for boxes and bar charts, and its height,
// for the REPL's pager.
import Foundation

enum Terminal {
  /// Columns of the terminal on standard output; $COLUMNS or 120 when it is not one.
  static var width: Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
      return Int(size.ws_col)
    }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
  }

  /// Rows of the terminal on standard output; $LINES or 40 when it is not one.
  static var height: Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 2 {
      return Int(size.ws_row)
    }
    return ProcessInfo.processInfo.environment["LINES"].flatMap(Int.init) ?? 40
  }
}
