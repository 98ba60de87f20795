// kolom subject export|rectify|erase|restrict|unrestrict and kolom log verify|show:
// the data subject's rights, each for one client given by clear number (`--client -`
// reads it from stdin, out of the shell's history) under the store's key, and the
// change log that records them.
import Foundation
import KolomStore

enum SubjectCommand {
  static func run(_ words: [String]) throws {
    let actions = ["export", "rectify", "erase", "restrict", "unrestrict"]
    guard let action = words.first, actions.contains(action) else {
      let given = words.first.map { "; '\($0)' is none of them" } ?? ""
      throw UsageError("subject needs export, rectify, erase, restrict or unrestrict\(given)")
    }
    let args = try Arguments(
      Array(words.dropFirst()), valued: ["client", "key", "request", "output", "format", "set", "actor", "now"])
    let path = try args.store()
    guard let keyPath = args.value("key") else { throw UsageError("subject \(action) needs --key KEYFILE") }
    guard let request = args.value("request"), !request.isEmpty else {
      throw UsageError("subject \(action) needs --request REF (the request's reference, e.g. the DPO's case number)")
    }
    let key = try PseudonymKey.load(from: keyPath, store: path)
    let clientNumber = try readClientNumber(args)
    guard let pseudonym = key.pseudonym(of: clientNumber) else {
      throw CLIError("the client number given is empty, longer than 64 characters or holds a control character")
    }
    let mode: Store.Mode = action == "export" ? .reader : .writer
    let store = try Store.open(at: path, mode: mode, clock: try args.clock())
    defer { store.close() }
    if let actor = args.value("actor") { store.actor = actor }
    guard let stamp = store.manifest.pseudonymKey else {
      throw CLIError("\(path) holds no ingested records yet, so no client can be found by number")
    }
    guard stamp.fingerprint == key.fingerprint && stamp.version == key.version else {
      throw StoreError.wrongKey(expected: stamp.fingerprint, given: key.fingerprint)
    }
    switch action {
    case "export":
      guard let output = args.value("output") else { throw UsageError("subject export needs --output FILE") }
      let format = SubjectExport.Format(rawValue: args.value("format") ?? (output.hasSuffix(".csv") ? "csv" : "json"))
      guard let format else { throw UsageError("--format must be json or csv") }
      let records = try store.records(of: pseudonym)
      let text = SubjectExport.render(
        records, clientNumber: clientNumber, request: request, restricted: store.isRestricted(pseudonym),
        retention: store.retention, format: format)
      try PrivateFile.write(text, to: output, store: path)
      print("exported \(records.count) records of the client to \(output) (\(format.rawValue), mode 0600)")
    case "erase":
      let change = try store.erase(pseudonym, request: request)
      print("erased \(change.recordsBefore.values.reduce(0, +)) records of the client" + years(change.recordsBefore))
    case "rectify":
      let settings = try args.values("set").map { try setting($0, schema: store.schema) }
      guard !settings.isEmpty else { throw UsageError("subject rectify needs --set column=value (one or more)") }
      let change = try store.rectify(
        pseudonym, request: request, columns: settings.map { store.schema.columns[$0.0].name }
      ) {
        var values = $0
        for (column, value) in settings { values[column] = value }
        return values
      }
      print(
        "rectified \(change.recordsBefore.values.reduce(0, +)) records of the client" + years(change.recordsBefore)
          + (change.recordsAfter.keys.sorted() != change.recordsBefore.keys.sorted()
            ? "; now" + years(change.recordsAfter) : ""))
    case "restrict", "unrestrict":
      try store.restrict(pseudonym, request: request, restricted: action == "restrict")
      print(
        action == "restrict"
          ? "restricted the client: kept and exported, left out of every analysis"
          : "lifted the restriction: the client's records count in analyses again")
    default:
      preconditionFailure("the actions are checked above")
    }
  }

  private static func years(_ counts: [Int: Int]) -> String {
    counts.isEmpty ? "" : " (" + counts.keys.sorted().map { "\($0): \(counts[$0]!)" }.joined(separator: ", ") + ")"
  }

  /// `--client NUMBER`, or with `--client -` the first line of stdin.
  private static func readClientNumber(_ args: Arguments) throws -> String {
    guard let given = args.value("client") else {
      throw UsageError("--client NUMBER (or - to read it from stdin) is required")
    }
    guard given == "-" else { return given }
    guard let line = readLine(strippingNewline: true) else { throw CLIError("no client number on stdin") }
    return line
  }

  /// `column=value` as a schema column and its parsed value.
  private static func setting(_ text: String, schema: Schema) throws -> (Int, FieldValue?) {
    guard let eq = text.firstIndex(of: "=") else { throw UsageError("--set needs column=value, not '\(text)'") }
    let name = String(text[..<eq])
    guard let column = schema.index(of: name) else {
      let suggestion = Suggestion.nearest(to: name, among: schema.columns.map(\.name))
      throw CLIError("--set: \(StoreError.unknownColumn(name, suggestion: suggestion))")
    }
    if case .id = schema.columns[column].type {
      throw CLIError("the client number cannot be rectified; erase the records and ingest them under the right number")
    }
    switch ValueText(schema: schema).parse(String(text[text.index(after: eq)...]), column: column) {
    case .success(let value): return (column, value)
    case .failure(let problem): throw CLIError("--set \(name): \(problem)")
    }
  }
}

enum LogCommand {
  static func run(_ words: [String]) throws {
    guard let action = words.first, ["verify", "show"].contains(action) else {
      throw UsageError("log needs verify or show")
    }
    let args = try Arguments(Array(words.dropFirst()), valued: ["now"])
    let store = try Store.open(at: try args.store(), mode: .reader, clock: try args.clock())
    defer { store.close() }
    if action == "show" {
      for line in try store.logEntries() { print(line, terminator: "") }
      return
    }
    let report = try store.verifyLog()
    guard report.problems.isEmpty else {
      for problem in report.problems { FileHandle.standardError.write(Data("log: \(problem)\n".utf8)) }
      throw CLIError("the change log of \(store.path) does not verify (\(report.problems.count) problems)")
    }
    print("change log intact: \(report.entries) entries, chained, the last one matching the manifest")
  }
}
