// A small command-line parser: positional arguments and `--name value` options.
// (ArgumentParser cannot be fetched here.)

/// The arguments of one subcommand.
struct Arguments {
  var positional: [String] = []
  private var options: [String: [String]] = [:]
  private var flags: Set<String> = []

  /// Parses `words`; `valued` lists the options that take a value, `switches` those that do not.
  init(_ words: [String], valued: Set<String>, switches: Set<String> = []) throws {
    var i = 0
    while i < words.count {
      let word = words[i]
      if word.hasPrefix("--") || (word.count == 2 && word.hasPrefix("-") && word != "--") {
        let name = String(word.drop { $0 == "-" })
        if switches.contains(name) {
          flags.insert(name)
        } else if valued.contains(name) {
          guard i + 1 < words.count else { throw UsageError("option \(word) needs a value") }
          options[name, default: []].append(words[i + 1])
          i += 1
        } else {
          throw UsageError("unknown option \(word)")
        }
      } else {
        positional.append(word)
      }
      i += 1
    }
  }

  /// The value of option `name` (the last, when given more than once).
  func value(_ name: String) -> String? { options[name]?.last }

  /// Every value of an option that may be repeated.
  func values(_ name: String) -> [String] { options[name] ?? [] }

  func has(_ name: String) -> Bool { flags.contains(name) }

  /// The option `name` as a whole number, or `fallback` when absent.
  func integer(_ name: String, default fallback: Int) throws -> Int {
    guard let text = value(name) else { return fallback }
    guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
      throw UsageError("--\(name) must be a whole number, not '\(text)'")
    }
    return value
  }
}

/// A mistake in how kolom was called; printed with the usage.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}
