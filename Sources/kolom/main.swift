// kolom: the command-line front end. A thin layer: each subcommand parses its
// arguments and calls the library.
import Foundation
import KolomFormat
import KolomStore

let usage = """
  usage: kolom <command> [arguments]

  store commands (--now INSTANT, e.g. 2026-12-31T23:00:00Z, overrides the clock
  without moving the store's recorded clock):
    init STORE [--retention YEARS]
                      create an empty store (default retention 10 years)
    generate STORE [--records N] [--seed S] [--batch-size N]
                      append generated (synthetic) ret-monitor records, dated up to today
    generate --format csv|ndjson [--records N] [--seed S] [--output FILE]
                      a delivery file of generated records with synthetic client numbers
                      (to stdout without --output, or with --output -)
    info STORE        years, files, records, bytes, retention, oldest year and when it expires
    verify STORE      every checksum and statistic, the manifest against the files
    compact STORE [--year Y]
                      merge each year's segments into one
    expire STORE      remove years past retention now (also done on every open and commit)
    retention STORE YEARS
                      change the retention period (shorter expires years at once)

  ingest and the data subject's rights (client numbers are pseudonymised with the key;
  --client - reads the number from stdin; --actor NAME is who the change log names,
  the system user by default):
    keygen KEYFILE [--version N]
                      write a new pseudonymisation key (mode 0600; keep it outside the store)
    ingest STORE FILE… --key KEYFILE [--format csv|ndjson] [--reject FILE] [--request REF]
           [--max-problems N]
                      check delivery files (- for stdin) and store them; a file with a bad
                      record stores nothing unless --reject FILE takes the bad ones; the
                      first N problems of a file are printed (100 by default)
    subject export STORE --client N --key K --request REF --output FILE [--format json|csv]
    subject rectify STORE --client N --key K --request REF --set column=value…
    subject erase STORE --client N --key K --request REF
    subject restrict|unrestrict STORE --client N --key K --request REF
                      access, rectification, erasure (the bytes are gone when it returns)
                      and restriction (kept and exported, left out of every analysis)
    log verify STORE  check the change log's hash chain against the manifest
    log show STORE    the change log's entries (JSON lines)

  query commands:
    repl [STORE] [--history FILE] [--role owner|ret|analyst [--region JZnn]]
                      the analysts' prompt (demo by default); history is kept on disk only
                      with --history (mode 0600); with piped input it runs the statements
    query STORE [-c SQL | -f FILE] [--format F] [--param name=value]… [--role owner|ret|analyst [--region JZnn]]
                      run queries (';'-separated; from stdin without -c or -f); F is one of
                      box, table, csv, tsv, json, jsonl, markdown, line, bar

  file commands:
    inspect FILE      a segment's header, schema, row groups, chunks and statistics
    verify FILE…      decode every chunk and recompute every statistic
    schema            the ret-monitor schema and its code lists
    help              this text
  """

/// The usage entries of `command` (its lines and their continuations) and a pointer to
/// the rest, or the whole text when no entry is that command's.
func usage(of command: String?) -> String {
  var entries: [Substring] = []
  var inEntry = false
  for line in usage.split(separator: "\n", omittingEmptySubsequences: false) {
    let indent = line.prefix { $0 == " " }.count
    if indent < 4 { inEntry = indent == 2 && line.dropFirst(2).prefix { $0 != " " } == command ?? "" }
    if inEntry { entries.append(line) }
  }
  guard !entries.isEmpty else { return usage }
  return "usage:\n" + entries.joined(separator: "\n") + "\n\n'kolom help' lists every command"
}

func run(_ words: [String]) throws {
  guard let command = words.first else { throw UsageError("no command given") }
  let rest = Array(words.dropFirst())
  if rest.contains("--help") && command != "help" {
    print(usage(of: command))
    return
  }
  switch command {
  case "init": try StoreCommands.initialize(rest)
  case "generate": try GenerateCommand.run(rest)
  case "info": try StoreCommands.info(rest)
  case "verify": try VerifyCommand.run(rest)
  case "compact": try StoreCommands.compact(rest)
  case "expire": try StoreCommands.expire(rest)
  case "retention": try StoreCommands.retention(rest)
  case "keygen": try IngestCommand.keygen(rest)
  case "ingest": try IngestCommand.run(rest)
  case "subject": try SubjectCommand.run(rest)
  case "log": try LogCommand.run(rest)
  case "query": try QueryCommand.run(rest)
  case "repl": try ReplCommand.run(rest)
  case "inspect": try InspectCommand.run(rest)
  case "schema": try SchemaCommand.run(rest)
  case "help", "--help", "-h": print(usage)
  default: throw UsageError("unknown command '\(command)'")
  }
}

do {
  try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
  FileHandle.standardError.write(
    Data("kolom: \(error)\n\n\(usage(of: CommandLine.arguments.dropFirst().first))\n".utf8))
  exit(2)
} catch let error as CLIError where error.silent {
  exit(1)
} catch {
  FileHandle.standardError.write(Data("kolom: \(error)\n".utf8))
  exit(1)
}
