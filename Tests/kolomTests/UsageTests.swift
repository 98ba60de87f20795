// kolom's usage text: `COMMAND --help` and a usage error show that command's entries,
// an unknown command the whole text.
import Foundation
import Testing

@Suite struct UsageTests {
  static let commands = [
    "init", "generate", "info", "verify", "compact", "expire", "retention", "keygen", "ingest", "subject", "log",
    "query", "repl", "inspect", "schema",
  ]

  @Test(arguments: commands)
  func helpShowsTheCommandsOwnEntries(command: String) throws {
    let help = try kolom([command, "--help"])
    #expect(help.status == 0)
    let entries = help.output.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
    #expect(!entries.isEmpty, "\(help.output)")
    #expect(entries.allSatisfy { $0.dropFirst(2).hasPrefix(command + " ") }, "\(entries)")
    #expect(help.output.hasSuffix("'kolom help' lists every command\n"))
  }

  @Test func aUsageErrorShowsItsCommandsEntriesAndAnUnknownCommandTheWholeText() throws {
    let subject = try kolom(["subject", "frob", "/tmp/none"])
    #expect(subject.status == 2)
    #expect(subject.error.hasPrefix("kolom: subject needs export, rectify, erase, restrict or unrestrict; 'frob'"))
    #expect(subject.error.contains("  subject erase STORE --client N"))
    #expect(!subject.error.contains("  query STORE"))

    let ingest = try kolom(["ingest", "/tmp/none"])
    #expect(ingest.status == 2 && ingest.error.contains("--max-problems N"), "\(ingest.error)")

    let unknown = try kolom(["frob"])
    #expect(unknown.status == 2 && unknown.error.hasPrefix("kolom: unknown command 'frob'"))
    for command in Self.commands { #expect(unknown.error.contains("\n  \(command) "), "\(command)") }
  }
}
