// ReplInput: input to statements. At a terminal, lines are read with the line editor
// until a ';' ends a statement (a line starting with '.' is a dot-command); the whole
// statement is one history entry. Piped input and .read files are cut the same way.
import Foundation
import Kolom

enum ReplInput {
  /// Reads and runs statements at the terminal until .quit or Ctrl-D.
  static func interactive(_ session: ReplSession, editor: LineEditor) {
    var pending = ""
    while !session.quitting {
      switch editor.read(prompt: pending.isEmpty ? "kolom> " : "   ...> ") {
      case .end:
        FileHandle.standardOutput.write(Data("\n".utf8))
        return
      case .interrupted:
        pending = ""  // Ctrl-C on a line: discard what was typed
      case .line(let line):
        if pending.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(".") {
          editor.remember(line)
          session.run(line)
          continue
        }
        if pending.isEmpty && Statements.isBlank(line) { continue }
        pending += pending.isEmpty ? line : "\n" + line
        guard Statements.isComplete(pending) else { continue }
        editor.remember(pending)
        session.run(pending)
        pending = ""
      }
    }
  }

  /// Runs a script (piped input, a .read file): dot-commands on their own lines, and
  /// statements ended by ';' (the last may lack it).
  static func runScript(_ text: String, in session: ReplSession) {
    var pending = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if session.quitting { return }
      if pending.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(".") {
        session.run(line)
        continue
      }
      pending += pending.isEmpty ? line : "\n" + line
      if Statements.isComplete(pending) {
        session.run(pending)
        pending = ""
      }
    }
    if !Statements.isBlank(pending) && !session.quitting { session.run(pending) }
  }
}
