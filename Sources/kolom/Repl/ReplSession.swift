// ReplSession: the state of one REPL session (output mode, timer, parameters, where
// results go) and what a statement or a dot-command does with it. The same session
// runs typed input, piped input and .read files.
import Foundation
import Kolom
import Synchronization

final class ReplSession {
  let database: Database
  let access: AccessContext
  /// Typed at a terminal (results may be paged, errors do not stop a script).
  let interactive: Bool
  var format: OutputFormat = .box
  var timer = false
  var explain = false
  var pager: PagerMode = .auto
  var parameters: [String: Value] = [:]
  /// The .param line that set each parameter, to be taken out of the history when its
  /// value turns out to be a client number.
  private var parameterLines: [String: String] = [:]
  /// Where results go instead of the terminal (.output), and whether only once (.once).
  private var output: (handle: FileHandle, path: String, once: Bool)? = nil
  /// Statements that failed.
  private(set) var failures = 0
  /// Whether the last input held a clear client number (text compared with
  /// clientnummer): it is kept out of the history.
  private(set) var heldClientNumber = false
  private(set) var quitting = false
  /// The editor, for .history.
  var history: () -> [String] = { [] }
  /// Removes the history entries that contain a text (the .param line that set a client number).
  var forget: (String) -> Void = { _ in }
  /// The query running now, for Ctrl-C.
  let running = Mutex<Cancellation?>(nil)

  enum PagerMode: String { case auto, on, off }

  init(database: Database, access: AccessContext, interactive: Bool) {
    self.database = database
    self.access = access
    self.interactive = interactive
  }

  /// Runs one piece of input: a dot-command line, or text of complete statements.
  func run(_ input: String) {
    heldClientNumber = false
    let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix(".") { return dotCommand(trimmed) }
    for statement in Statements.split(input) { query(statement) }
  }

  // MARK: Queries

  private func query(_ text: String) {
    let sql =
      explain && !text.trimmingCharacters(in: .whitespaces).uppercased().hasPrefix("EXPLAIN")
      ? "EXPLAIN " + text : text
    let cancellation = Cancellation()
    running.withLock { $0 = cancellation }
    defer { running.withLock { $0 = nil } }
    do {
      let result = try database.query(sql, parameters: parameters, access: access, cancellation: cancellation)
      emit(renderer.render(result))
      if timer {
        let c = result.counts
        var read = "\(c.rowGroupsRead) of \(c.rowGroups) row groups in \(c.filesRead) of \(c.files) files"
        if c.rowGroupsFromStatistics > 0 { read += ", \(c.rowGroupsFromStatistics) answered from statistics" }
        note(String(format: "run time %.1f ms; read %@", result.seconds * 1_000, read))
      }
    } catch QueryError.cancelled {
      failures += 1
      problem("query cancelled")
    } catch let error as QueryError {
      failures += 1
      var message = error.rendered(in: sql)
      if error.holdsClientNumber {
        heldClientNumber = true
        message += "\n(the statement is not kept in the history)"
        if let name = Self.parameterName(in: sql, at: error.location), let line = parameterLines[name] {
          parameters[name] = nil
          parameterLines[name] = nil
          forget(line)
          message += "\n(:\(name) is unset, and the .param line that set it is gone from the history)"
        }
      }
      if case .missingParameter(let name, _) = error { message += "\n(set it with .param set :\(name) VALUE)" }
      problem(message)
    } catch {
      failures += 1
      problem("\(error)")
    }
  }

  private var renderer: Renderer {
    Renderer(
      format: format, maxRows: 40, width: Terminal.width, allRowsHint: ".mode csv or .once FILE for all")
  }

  // MARK: Output

  /// A result: to the .output file, through the pager, or to the terminal.
  func emit(_ text: String) {
    if let target = output {
      target.handle.write(Data(text.utf8))
      if target.once {
        try? target.handle.close()
        output = nil
      }
      return
    }
    if interactive && shouldPage(text), Pager.show(text) { return }
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// A remark of the REPL itself (timer, confirmations): always on the terminal.
  func note(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

  /// An error, on stderr.
  func problem(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

  private func shouldPage(_ text: String) -> Bool {
    switch pager {
    case .off: return false
    case .on: return true
    case .auto: return isatty(STDOUT_FILENO) == 1 && text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } > Terminal.height - 2
    }
  }

  // MARK: Dot-commands

  private func dotCommand(_ line: String) {
    let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let command = words[0]
    let rest = Array(words.dropFirst())
    switch command {
    case ".help": help(rest.first)
    case ".examples":
      var text = ""
      for (title, sql) in HelpTopics.examples { text += "-- \(title)\n\(sql)\n\n" }
      note(text.trimmingCharacters(in: .newlines))
    case ".tables": note(Catalog.table)
    case ".schema": schema(rest.first)
    case ".values": values(rest)
    case ".mode":
      guard let name = rest.first else { return note("mode \(format.rawValue)") }
      guard let mode = OutputFormat(rawValue: name) else {
        return fail("unknown mode '\(name)'; one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      format = mode
    case ".timer": toggle(rest, "timer") { self.timer = $0 }
    case ".explain": toggle(rest, "explain") { self.explain = $0 }
    case ".pager":
      guard let mode = rest.first.flatMap(PagerMode.init) else { return fail(".pager auto|on|off") }
      pager = mode
    case ".read": read(rest)
    case ".output", ".once": redirect(command, rest)
    case ".param", ".parameter": parameter(rest, line: line)
    case ".history":
      let entries = history()
      note(entries.isEmpty ? "(no history)" : entries.enumerated().map { "\($0 + 1)  \($1)" }.joined(separator: "\n"))
    case ".quit", ".exit": quitting = true
    default:
      let known = HelpTopics.commands.map { String($0.0.split(separator: " ")[0]) } + [".exit"]
      let hint = Suggestion.nearest(to: command, among: known).map { "; did you mean \($0)?" } ?? ""
      fail("unknown command \(command)\(hint) (.help lists them)")
    }
  }

  private func fail(_ message: String) {
    failures += 1
    problem(message)
  }

  private func toggle(_ rest: [String], _ name: String, _ set: (Bool) -> Void) {
    switch rest.first {
    case "on": set(true)
    case "off": set(false)
    default: fail(".\(name) on|off")
    }
  }

  private func help(_ topic: String?) {
    guard let topic else {
      let width = HelpTopics.commands.map(\.0.count).max() ?? 0
      let lines = HelpTopics.commands.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
      note(
        lines.joined(separator: "\n")
          + "\n\nEnd a query with ; to run it. Ctrl-C cancels a query or clears the line; Ctrl-D leaves."
          + "\nTopics: \(HelpTopics.names.joined(separator: ", ")) (.help TOPIC); the whole language: docs/query-language.md"
      )
      return
    }
    let name = topic.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    if let found = HelpTopics.topics.first(where: { $0.name == name }) { return note(found.text) }
    if let command = HelpTopics.commands.first(where: { $0.0.hasPrefix("." + name) }) {
      return note("\(command.0)  \(command.1)")
    }
    let hint = Suggestion.nearest(to: name, among: HelpTopics.names).map { "; did you mean \($0)?" } ?? ""
    fail("no help on '\(topic)'\(hint) (topics: \(HelpTopics.names.joined(separator: ", ")))")
  }

  private func schema(_ name: String?) {
    let schema = database.catalog.schema
    guard let name else {
      let width = schema.columns.map(\.name.count).max() ?? 0
      var lines = ["cases (\(schema.name) version \(schema.version)):"]
      for column in schema.columns {
        var kind: String
        switch column.type {
        case .flags(let list): kind = "flag set of \(list.codes.count)"
        case .category(let list): kind = "code, \(list.codes.count) codes"
        case .id: kind = "pseudonym"
        case .date: kind = "date"
        case .year, .int: kind = "integer"
        }
        if column.isNullable { kind += ", may be NULL" }
        if !column.specialCategories.isEmpty { kind += "; special-category data" }
        lines.append("  " + column.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + kind)
      }
      return note(lines.joined(separator: "\n"))
    }
    guard let column = schema.columns.first(where: { $0.name == name }) else {
      let hint = Suggestion.nearest(to: name, among: schema.columns.map(\.name)).map { "; did you mean \($0)?" } ?? ""
      return fail("unknown column '\(name)'\(hint)")
    }
    var lines = ["\(column.name): \(column.label)"]
    for code in column.type.codeList?.codes ?? [] { lines.append("  \(code.code)  \(code.label)") }
    note(lines.joined(separator: "\n"))
  }

  /// A coded column's codes with their record counts, codes without records included.
  private func values(_ rest: [String]) {
    guard let name = rest.first else { return fail(".values COLUMN") }
    let schema = database.catalog.schema
    guard let column = schema.columns.first(where: { $0.name == name }), let list = column.type.codeList else {
      let coded = schema.columns.filter { $0.type.codeList != nil }.map(\.name)
      let hint = Suggestion.nearest(to: name, among: coded).map { "; did you mean \($0)?" } ?? ""
      return fail("'\(name)' is not a coded column\(hint)")
    }
    let sql: String
    if case .flags = column.type {
      sql = "SELECT EACH(\(name)) AS code, count(*) AS records FROM cases GROUP BY ALL"
    } else {
      sql = "SELECT \(name) AS code, count(*) AS records FROM cases GROUP BY ALL"
    }
    do {
      let result = try database.query(sql, access: access)
      var counts: [String: Value] = [:]
      for row in result.rows { counts[row[0].text ?? "NULL"] = row[1] }
      var rows = list.codes.map { [Value.text($0.code), counts[$0.code] ?? .int(0), .text($0.label)] }
      if let nulls = counts["NULL"] { rows.append([.null, nulls, .text("(no value)")]) }
      let table = ResultSet(
        columns: [
          ResultColumn(name: "code", type: .text), ResultColumn(name: "records", type: .integer),
          ResultColumn(name: "label", type: .text),
        ], rows: rows)
      emit(Renderer(format: format, maxRows: 400, width: Terminal.width).render(table))
    } catch let error as QueryError {
      fail(error.message)
    } catch {
      fail("\(error)")
    }
  }

  private func read(_ rest: [String]) {
    guard let path = rest.first else { return fail(".read FILE") }
    guard let data = FileManager.default.contents(atPath: path) else { return fail("cannot read \(path)") }
    ReplInput.runScript(String(decoding: data, as: UTF8.self), in: self)
  }

  private func redirect(_ command: String, _ rest: [String]) {
    if let target = output { try? target.handle.close() }
    output = nil
    guard let path = rest.first else {
      if command == ".once" { fail(".once FILE") }
      return
    }
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
    else { return fail("cannot write \(path)") }
    output = (handle, path, command == ".once")
  }

  /// The name of the `:name` parameter at `location` in `sql`, if one is there.
  static func parameterName(in sql: String, at location: SourceLocation?) -> String? {
    guard let location, location.offset < sql.count else { return nil }
    let rest = sql.dropFirst(location.offset)
    guard rest.first == ":" else { return nil }
    let name = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    return name.isEmpty ? nil : String(name)
  }

  private func parameter(_ rest: [String], line: String) {
    switch rest.first {
    case "set":
      guard rest.count >= 3 else { return fail(".param set :NAME VALUE") }
      var name = rest[1]
      if name.hasPrefix(":") { name.removeFirst() }
      parameters[name] = Value(parsing: rest[2...].joined(separator: " "))
      parameterLines[name] = line
    case "unset":
      guard rest.count == 2 else { return fail(".param unset :NAME") }
      let name = String(rest[1].drop { $0 == ":" })
      parameters[name] = nil
      parameterLines[name] = nil
    case "clear":
      parameters = [:]
      parameterLines = [:]
    case "list", nil:
      let lines = parameters.keys.sorted().map { ":\($0) = \(parameters[$0]!)" }
      note(lines.isEmpty ? "(no parameters)" : lines.joined(separator: "\n"))
    default: fail(".param set :NAME VALUE | unset :NAME | list | clear")
    }
  }
}
