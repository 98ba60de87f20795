// kolom repl: the analysts' prompt on a store. At a terminal: libedit editing, history
// in memory (on disk, mode 0600, only with --history FILE: statements may hold
// special-category data), Tab completion, Ctrl-C to cancel a query or clear the line.
// With stdin not a terminal it runs the statements it reads and exits 1 if one failed.
import Dispatch
import Foundation
import Kolom

enum ReplCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["history", "now", "role", "region"])
    guard args.positional.count <= 1 else { throw UsageError("repl takes one store") }
    let path = args.positional.first ?? "demo"
    let database = try Database(path: path, clock: try args.clock())
    defer { database.close() }
    let interactive = isatty(STDIN_FILENO) == 1
    let session = ReplSession(
      database: database, access: try QueryCommand.accessContext(args), interactive: interactive)
    let interrupts = cancelOnInterrupt(session)
    defer { interrupts.cancel() }

    guard interactive else {
      let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
      ReplInput.runScript(input, in: session)
      if session.failures > 0 {
        throw CLIError("\(session.failures) statement\(session.failures == 1 ? "" : "s") failed", silent: true)
      }
      return
    }
    let completer = Completer(
      schema: database.catalog.schema, dotCommands: HelpTopics.commands.map { String($0.0.split(separator: " ")[0]) })
    guard let editor = LineEditor(historyFile: args.value("history"), complete: completer.complete) else {
      throw CLIError("cannot start the line editor")
    }
    session.history = { editor.history }
    session.forget = { editor.forget($0) }
    session.note(greeting(path, database))
    ReplInput.interactive(session, editor: editor)
  }

  /// What the store holds and how to get help.
  private static func greeting(_ path: String, _ database: Database) -> String {
    let info = database.store.info
    let years = info.years.map(\.year)
    let span = years.isEmpty ? "no records yet" : "\(years.first!)–\(years.last!)"
    let records = info.records.formatted(.number.grouping(.automatic)).replacingOccurrences(of: ",", with: " ")
    return """
      Kolom: \(path) holds \(records) generated case records, \(span) (retention \(info.retentionYears) years).
      End a query with ;   .help for help, .examples for analyses to copy, Ctrl-D to leave.
      """
  }

  /// Ctrl-C while a query runs (the terminal is cooked then, so it is SIGINT) cancels
  /// it; the process lives on. While editing, libedit reads it as a key instead.
  private static func cancelOnInterrupt(_ session: ReplSession) -> DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { session.running.withLock { $0?.cancel() } }
    source.resume()
    return source
  }
}
