// The REPL end to end: at a terminal (tmux) with editing, history, completion, Ctrl-C
// and the dot-commands; with piped input; and its history file, off by default.
import Foundation
import Testing

@Suite(.serialized) struct ReplTests {
  /// A store of 50,000 generated records, made once for these tests.
  static let store: String = {
    let path = try! temporaryStore()
    _ = try! kolom(["init", path])
    _ = try! kolom(["generate", path, "--records", "50000", "--seed", "5"])
    return path
  }()

  /// `sql`'s rows as kolom query prints them in csv, without the header.
  func expected(_ sql: String, _ extra: [String] = []) throws -> [String] {
    let result = try kolom(["query", Self.store, "--format", "csv", "-c", sql] + extra)
    #expect(result.status == 0, "\(result.error)")
    return Array(result.output.split(separator: "\n").dropFirst().map(String.init))
  }

  /// The REPL at a terminal, in a temporary home without a history file.
  func terminal(_ extra: String = "", home: String? = nil) throws -> Tmux {
    let home = home ?? NSTemporaryDirectory()
    return try Tmux("cd \(home) && HOME=\(home) LANG=C.UTF-8 PAGER=cat \(kolomBinary) repl \(Self.store) \(extra)")
  }

  @Test func aSessionAtTheTerminal() throws {
    let t = try terminal()
    try t.wait(forText: "kolom> ")
    #expect(try t.screen().contains("50 000 generated case records"))

    // A statement over two lines runs at the ';'.
    let top = try expected("SELECT regio, count(*) FROM cases GROUP BY regio ORDER BY 2 DESC, 1 LIMIT 2")
    try t.enter("SELECT regio, count(*)")
    try t.wait(forText: "   ...> ")
    try t.enter("FROM cases GROUP BY regio ORDER BY 2 DESC, 1 LIMIT 2;")
    var screen = try t.wait(forText: "2 rows")
    let region = top[0].split(separator: ",")[0]
    let count = top[0].split(separator: ",")[1]
    #expect(screen.contains("│ \(region)  │") && screen.contains(" \(count) │"), "\(top) in\n\(screen)")

    // Up recalls the whole statement as one entry; Enter runs it again.
    try t.press("Up")
    try t.press("Enter")
    try t.wait(forText: "2 rows", times: 2)

    // Ctrl-C on a half-typed line throws it away.
    try t.type("SELECT gesl")
    try t.press("C-c")
    try t.enter("SELECT count(*) AS n FROM cases;")
    screen = try t.wait(forText: "1 row")
    #expect(screen.contains("50000"), "\(screen)")
    #expect(!screen.contains("error"), "the discarded line ran:\n\(screen)")

    // Tab completes a column, then a code after HAS.
    try t.type("SELECT count(DISTINCT clientnu")
    try t.press("Tab")
    try t.wait(forText: "clientnummer")
    try t.type(") AS clienten FROM cases WHERE problematiek_jeugdige HAS 'ad")
    try t.press("Tab")
    try t.wait(forText: "HAS 'adhd'")
    try t.enter(";")
    let adhd = try expected(
      "SELECT count(DISTINCT clientnummer) FROM cases WHERE problematiek_jeugdige HAS 'adhd'")[0]
    try t.wait(for: "the adhd count \(adhd)") { $0.contains("│ \(adhd.leftPadded(8)) │") }

    // .mode csv and .mode bar.
    try t.enter(".mode csv")
    try t.enter("SELECT geslacht, count(*) AS n FROM cases GROUP BY 1 ORDER BY 1;")
    for line in try expected("SELECT geslacht, count(*) AS n FROM cases GROUP BY 1 ORDER BY 1") {
      try t.wait(forText: line)
    }
    try t.enter(".mode bar")
    try t.enter("SELECT urgentie, count(*) AS n FROM cases GROUP BY 1;")
    try t.wait(forText: "n by urgentie")
    #expect(try t.screen().contains("█"))
    try t.enter(".mode box")

    // .timer on reports run time and what was read.
    try t.enter(".timer on")
    try t.enter("SELECT count(*) FROM cases WHERE regio = 'JZ13';")
    try t.wait(forText: "run time ")
    try t.enter(".timer off")

    // .output sends results to a file until .output without one.
    let file = NSTemporaryDirectory() + "kolom-repl-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try t.enter(".mode csv")
    try t.enter(".output \(file)")
    try t.enter("SELECT fase, count(*) AS records FROM cases GROUP BY 1 ORDER BY 1;")
    try t.enter(".output")
    try t.enter(".mode box")
    try t.enter("SELECT 'done' AS marker, count(*) FROM cases;")
    try t.wait(forText: "marker")
    let written = try String(contentsOfFile: file, encoding: .utf8)
    #expect(
      written == (["fase,records"] + (try expected("SELECT fase, count(*) FROM cases GROUP BY 1 ORDER BY 1")))
        .joined(separator: "\n") + "\n")
    #expect(!(try t.screen().contains("fase,records")), "the result went to the screen as well")

    // .param sets a parameter.
    try t.enter(".param set :regio JZ13")
    try t.enter("SELECT count(*) AS per_regio FROM cases WHERE regio = :regio;")
    let jz13 = try expected("SELECT count(*) FROM cases WHERE regio = 'JZ13'")[0]
    try t.wait(for: "the JZ13 count \(jz13)") { $0.contains("│ \(jz13.leftPadded(9)) │") }

    // UTF-8 comes through intact, into the error and its caret.
    try t.enter("SELECT count(*) FROM cases WHERE regio = 'Müller';")
    try t.wait(forText: "unknown code 'Müller' for regio")

    // Ctrl-D leaves with status 0.
    try t.leaveWithCtrlD()
  }

  @Test func ctrlCStopsALongQueryAndThePromptReturns() throws {
    let t = try terminal()
    try t.wait(forText: "kolom> ")
    try t.enter(
      "SELECT clientnummer, EACH(leefgebieden_jeugdige KEEP EMPTY) AS l, datum, count(*), "
        + "count(DISTINCT gemeente), median(geboortejaar) FROM cases GROUP BY ALL;")
    usleep(300_000)
    try t.press("C-c")
    try t.wait(forText: "query cancelled")
    try t.wait(forText: "kolom> ", times: 2)
    try t.enter("SELECT count(*) AS after FROM cases;")
    try t.wait(forText: "50000")
    try t.leaveWithCtrlD()
  }

  @Test func pipedInputRunsItsStatementsAndExitsOneWhenOneFails() throws {
    let script = NSTemporaryDirectory() + "kolom-repl-\(UUID().uuidString).sql"
    defer { try? FileManager.default.removeItem(atPath: script) }
    let good =
      ".mode csv\nSELECT fase, count(*)\nFROM cases GROUP BY 1 ORDER BY 1;\n.param set :r JZ13\nSELECT count(*) FROM cases WHERE regio = :r"
    try good.write(toFile: script, atomically: true, encoding: .utf8)
    var result = try run("/bin/sh", ["-c", "\(kolomBinary) repl \(Self.store) < \(script)"])
    #expect(result.status == 0, "\(result.error)")
    let rows = try expected("SELECT fase, count(*) FROM cases GROUP BY 1 ORDER BY 1")
    let jz13 = try expected("SELECT count(*) FROM cases WHERE regio = 'JZ13'")
    #expect(result.output == (["fase,count(*)"] + rows + ["count(*)"] + jz13).joined(separator: "\n") + "\n")
    #expect(!result.output.contains("kolom>"), "a prompt in piped output")

    try (good + ";\nSELECT regoi FROM cases;\nSELECT 1 AS still_runs FROM cases LIMIT 1;")
      .write(toFile: script, atomically: true, encoding: .utf8)
    result = try run("/bin/sh", ["-c", "\(kolomBinary) repl \(Self.store) < \(script)"])
    #expect(result.status == 1)
    #expect(result.error.contains("unknown column 'regoi'; did you mean 'regio'?"), "\(result.error)")
    #expect(result.output.hasSuffix("still_runs\n1\n"), "\(result.output)")
  }

  /// `script` piped into kolom repl.
  func piped(_ script: String) throws -> (status: Int32, output: String, error: String) {
    let file = NSTemporaryDirectory() + "kolom-repl-\(UUID().uuidString).sql"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try script.write(toFile: file, atomically: true, encoding: .utf8)
    return try run("/bin/sh", ["-c", "\(kolomBinary) repl \(Self.store) < \(file)"])
  }

  @Test func helpListsEveryDotCommandAndTheExamplesRun() throws {
    let help = try piped(".help\n")
    for command in [
      ".help", ".examples", ".tables", ".schema", ".values", ".mode", ".timer", ".explain", ".pager", ".read",
      ".output", ".once", ".param", ".history", ".quit",
    ] {
      #expect(help.output.contains("\n\(command)") || help.output.hasPrefix(command), "\(command) missing from .help")
    }
    for topic in ["each", "has", "quantile"] {
      let text = try piped(".help \(topic)\n").output
      let example = text.split(separator: "\n").filter { $0.hasPrefix("  ") }.joined(separator: "\n")
      #expect(!example.isEmpty, ".help \(topic) has no example")
      let ran = try piped(example + "\n")
      #expect(ran.status == 0, ".help \(topic)'s example: \(ran.error)")
    }
    let misspelt = try piped(".help eahc\n")
    #expect(misspelt.error.contains("did you mean each?"), "\(misspelt.error)")
    let examples = try piped(".examples\n")
    let queries = examples.output.split(separator: "\n").filter { $0.hasPrefix("SELECT") }
    #expect(queries.count >= 4)
    let ran = try piped(queries.joined(separator: "\n"))
    #expect(ran.status == 0, "\(ran.error)")
  }

  @Test func valuesCountsEveryCodeAndSchemaListsTheColumns() throws {
    let result = try piped(".mode csv\n.values urgentie\n.schema\n")
    #expect(result.status == 0, "\(result.error)")
    for line in try expected("SELECT urgentie, count(*) FROM cases GROUP BY 1") {
      let parts = line.split(separator: ",")
      #expect(result.output.contains("\(parts[0]),\(parts[1]),"), "\(line) in\n\(result.output)")
    }
    #expect(result.output.contains("problematiek_jeugdige") && result.output.contains("special-category data"))
    let wrong = try piped(".values regoi\n")
    #expect(wrong.status == 1 && wrong.error.contains("did you mean regio?"), "\(wrong.error)")
  }

  @Test func historyIsOffByDefaultAndPrivateWhenOn() throws {
    let home = NSTemporaryDirectory() + "kolom-home-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }

    var t = try terminal(home: home)
    try t.wait(forText: "kolom> ")
    try t.enter("SELECT count(*) FROM cases WHERE problematiek_jeugdige HAS 'lvb';")
    try t.wait(forText: "1 row")
    try t.leaveWithCtrlD()
    #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty, "history written by default")

    let file = home + "/kolom_history"
    t = try terminal("--history \(file)", home: home)
    try t.wait(forText: "kolom> ")
    try t.enter("SELECT count(*) AS remembered FROM cases;")
    try t.wait(forText: "1 row")
    // A clear client number typed by mistake is refused, not echoed, and not kept.
    try t.enter("SELECT count(*) FROM cases WHERE clientnummer = 'JZ07-123456789012';")
    let screen = try t.wait(forText: "(the statement is not kept in the history)")
    #expect(screen.contains("WHERE clientnummer = '…'"), "\(screen)")
    // One set as a parameter: the .param line that held it leaves the history too.
    try t.enter(".param set :wie 'JZ07-999999999999'")
    try t.enter("SELECT count(*) FROM cases WHERE clientnummer = :wie;")
    try t.wait(forText: "(:wie is unset, and the .param line that set it is gone from the history)")
    try t.leaveWithCtrlD()
    let attributes = try FileManager.default.attributesOfItem(atPath: file)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let kept = try String(contentsOfFile: file, encoding: .utf8)
    #expect(kept.contains("remembered") && !kept.contains("JZ07-123456789012"), "\(kept)")
    #expect(!kept.contains("JZ07-999999999999") && !kept.contains(":wie 'JZ"), "\(kept)")

    // The next session recalls it.
    t = try terminal("--history \(file)", home: home)
    try t.wait(forText: "kolom> ")
    try t.press("Up")
    try t.press("Enter")
    try t.wait(forText: "remembered", times: 2)
    try t.leaveWithCtrlD()
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
