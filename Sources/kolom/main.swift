// kolom: the command-line front end. A thin layer: each subcommand parses its
// arguments and calls the library.
import Foundation
import KolomFormat
import KolomStore

let usage = """
  usage: kolom <command> [arguments]

  commands:
    generate FILE [--records N] [--seed S] [--today YYYY-MM-DD] [--row-group-size N]
                      write a segment of generated (synthetic) ret-monitor records
    inspect FILE      show a segment's header, schema, row groups, chunks and statistics
    verify FILE       decode every chunk and recompute every statistic
    schema            show the ret-monitor schema and its code lists
    help              show this text
  """

func run(_ words: [String]) throws {
  guard let command = words.first else { throw UsageError("no command given") }
  let rest = Array(words.dropFirst())
  switch command {
  case "generate": try GenerateCommand.run(rest)
  case "inspect": try InspectCommand.run(rest)
  case "verify": try VerifyCommand.run(rest)
  case "schema": try SchemaCommand.run(rest)
  case "help", "--help", "-h": print(usage)
  default: throw UsageError("unknown command '\(command)'")
  }
}

do {
  try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
  FileHandle.standardError.write(Data("kolom: \(error)\n\n\(usage)\n".utf8))
  exit(2)
} catch {
  FileHandle.standardError.write(Data("kolom: \(error)\n".utf8))
  exit(1)
}
