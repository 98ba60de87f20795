// kolom query: one query (or several, separated by ';') from -c, -f FILE or stdin, on
// a store, printed in any output format; a non-zero exit and the message on stderr
// when one fails.
import Foundation
import Kolom

enum QueryCommand {
  static func run(_ words: [String]) throws {
    let args = try Arguments(words, valued: ["c", "f", "format", "param", "now", "role", "region"])
    let path = try args.store()
    let text: String
    if let command = args.value("c") {
      text = command
    } else if let file = args.value("f") {
      guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
      text = String(decoding: data, as: UTF8.self)
    } else {
      text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    let formatName = args.value("format") ?? "box"
    guard let format = OutputFormat(rawValue: formatName) else {
      throw UsageError(
        "unknown format '\(formatName)'; one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let parameters = try Dictionary(args.values("param").map(parameter), uniquingKeysWith: { _, last in last })
    let database = try Database(path: path, clock: try args.clock())
    defer { database.close() }
    let access = try accessContext(args)
    let renderer = Renderer(format: format, maxRows: 40, width: Terminal.width, allRowsHint: "--format csv for all")
    var failed = 0
    for statement in Statements.split(text) {
      do {
        let result = try database.query(statement, parameters: parameters, access: access)
        FileHandle.standardOutput.write(Data(renderer.render(result).utf8))
      } catch let error as QueryError {
        failed += 1
        var message = error.rendered(in: statement)
        if case .missingParameter(let name, _) = error { message += "\n(pass it as --param \(name)=VALUE)" }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
      }
    }
    if failed > 0 { throw CLIError("\(failed) statement\(failed == 1 ? "" : "s") failed", silent: true) }
  }

  /// `name=value` as a named parameter: a number, a date, or text (quotes optional).
  static func parameter(_ text: String) throws -> (String, Value) {
    guard let equals = text.firstIndex(of: "=") else { throw UsageError("--param needs name=value, not '\(text)'") }
    var name = String(text[..<equals])
    if name.hasPrefix(":") { name.removeFirst() }
    return (name, Value(parsing: String(text[text.index(after: equals)...])))
  }

  /// The role given by --role (owner by default; ret needs --region).
  static func accessContext(_ args: Arguments) throws -> AccessContext {
    switch args.value("role") ?? "owner" {
    case "owner": return .owner
    case "analyst": return AccessContext(role: .analyst)
    case "ret":
      guard let region = args.value("region") else { throw UsageError("--role ret needs --region JZnn") }
      return AccessContext(role: .ret(region: region))
    case let other: throw UsageError("unknown role '\(other)'; one of owner, ret, analyst")
    }
  }
}
