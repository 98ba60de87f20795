// ReplInput: input to statements. At a terminal, lines are read with the line editor
// until a ';' ends a statement (a line starting with '.' is a dot-command); the whole
// statement is one history entry. Piped input and .read files are cut the same way.
import Foundation
import Kolom

enum ReplInput {
  /// Reads and runs statements at the terminal until .quit or Ctrl-D.
  static func interactive(_ session: ReplSession, editor: LineEditor) {
    var buffer = StatementBuffer()
    while !session.quitting {
      switch editor.read(prompt: buffer.pending.isEmpty ? "kolom> " : "   ...> ") {
      case .end:
        FileHandle.standardOutput.write(Data("\n".utf8))
        return
      case .interrupted:
        buffer.pending = ""  // Ctrl-C on a line: discard what was typed
      case .line(let line):
        if buffer.pending.isEmpty && Statements.isBlank(line) { continue }
        guard let input = buffer.add(line) else { continue }
        session.run(input)
        if !session.heldClientNumber { editor.remember(input) }
      }
    }
  }

  /// Runs a script (piped input, a .read file): dot-commands on their own lines, and
  /// statements ended by ';' (the last may lack it).
  static func runScript(_ text: String, in session: ReplSession) {
    var buffer = StatementBuffer()
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if session.quitting { return }
      if let input = buffer.add(line) { session.run(input) }
    }
    if !Statements.isBlank(buffer.pending) && !session.quitting { session.run(buffer.pending) }
  }
}

/// Lines gathered into what runs: a dot-command line at once, statements at their ';'.
private struct StatementBuffer {
  /// The lines of a statement not yet ended.
  var pending = ""

  /// What `line` makes ready to run, if anything.
  mutating func add(_ line: String) -> String? {
    if pending.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(".") { return line }
    pending += pending.isEmpty ? line : "\n" + line
    guard Statements.isComplete(pending) else { return nil }
    defer { pending = "" }
    return pending
  }
}
