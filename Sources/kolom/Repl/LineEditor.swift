// LineEditor: libedit (through CLineEditor) for the REPL: a prompt, editing, history
// recall and search, Ctrl-C as a key that discards the line, Tab completion.
import CLineEditor
import Foundation

/// A terminal line editor.
final class LineEditor {
  /// What reading a line gave.
  enum Input {
    case line(String)
    /// Ctrl-C: the line was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
  }

  private let editor: OpaquePointer
  private let completions: Completions

  /// An editor whose history is kept in memory, and in `historyFile` (mode 0600) when given.
  init?(historyFile: String?, complete: @escaping (String) -> (candidates: [String], replacing: Int)) {
    completions = Completions(complete)
    let context = Unmanaged.passUnretained(completions).toOpaque()
    let completer: kolom_completer = { context, before, wordLength in
      guard let context, let before, let wordLength else { return nil }
      let completions = Unmanaged<Completions>.fromOpaque(context).takeUnretainedValue()
      let (candidates, replacing) = completions.complete(String(cString: before))
      wordLength.pointee = Int32(replacing)
      return candidates.isEmpty ? nil : strdup(candidates.joined(separator: "\n"))
    }
    guard let editor = kolom_editor_open("kolom", historyFile, completer, context) else { return nil }
    self.editor = editor
  }

  deinit { kolom_editor_close(editor) }

  func read(prompt: String) -> Input {
    var interrupted: Int32 = 0
    guard let line = kolom_editor_gets(editor, prompt, &interrupted) else { return .end }
    return interrupted != 0 ? .interrupted : .line(String(cString: line))
  }

  /// Remembers one statement (all its lines) for recall.
  func remember(_ entry: String) { kolom_editor_add_history(editor, entry) }

  /// Removes every entry that contains `text`, from memory and from the history file.
  func forget(_ text: String) { kolom_editor_forget(editor, text) }

  /// The history, oldest first.
  var history: [String] {
    guard let list = kolom_editor_history(editor) else { return [] }
    defer { free(list) }
    var entries: [String] = []
    var p = UnsafePointer(list)
    while p.pointee != 0 {
      let entry = String(cString: p)
      entries.append(entry)
      p += entry.utf8.count + 1
    }
    return entries.reversed()
  }
}

/// The completion function, kept alive for the C callback.
private final class Completions {
  let complete: (String) -> (candidates: [String], replacing: Int)
  init(_ complete: @escaping (String) -> (candidates: [String], replacing: Int)) { self.complete = complete }
}
