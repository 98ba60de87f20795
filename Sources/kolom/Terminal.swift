// The terminal the tool writes to: its width, for boxes and bar charts.
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
}
