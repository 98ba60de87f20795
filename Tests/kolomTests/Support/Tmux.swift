// A terminal for tests: a tmux session on its own server socket, running one command,
// driven by keys and read back from the screen.
import Foundation
import Testing

final class Tmux {
  private let socket = "kolom-test-\(UUID().uuidString.prefix(8))"
  private let session = "repl"

  /// Starts `command` (a shell command line) in a terminal of `width` × `height`.
  /// After the command ends, the pane shows "[exit STATUS]".
  init(_ command: String, width: Int = 160, height: Int = 60) throws {
    // The server this starts lives on with the client's descriptors, which Process
    // waits on: spawn and reap it by hand.
    let arguments = [
      "/usr/bin/tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", String(width),
      "-y", String(height), "\(command); echo \"[exit $?]\"; sleep 600",
    ]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
      throw TmuxError(message: "cannot start tmux")
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    guard status == 0 else { throw TmuxError(message: "tmux new-session failed (\(status))") }
  }

  deinit { _ = try? tmux(["kill-server"]) }

  /// Types `text` literally (a trailing ';' escaped, which tmux would take for its own).
  func type(_ text: String) throws {
    try tmux(["send-keys", "-t", session, "-l", text.hasSuffix(";") ? String(text.dropLast()) + "\\;" : text])
  }

  /// Presses keys by tmux name: Enter, Tab, Up, C-c, C-d, BSpace.
  func press(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

  /// Types `line` and presses Enter.
  func enter(_ line: String) throws {
    try type(line)
    try press("Enter")
  }

  /// The screen and its scrollback, wrapped lines joined.
  func screen() throws -> String { try tmux(["capture-pane", "-p", "-J", "-S", "-2000", "-t", session]) }

  /// Waits until the screen satisfies `condition` (10 s at most); the screen then.
  @discardableResult
  func wait(
    for what: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var text = ""
    while Date() < deadline {
      text = try screen()
      if condition(text) { return text }
      usleep(30_000)
    }
    Issue.record("timed out waiting for \(what); the screen:\n\(text)", sourceLocation: sourceLocation)
    return text
  }

  /// Waits until the last line shows an empty prompt: the line editor has drawn it, so
  /// a key pressed now (Ctrl-D above all) reaches it rather than a terminal in cooked mode.
  func waitForPrompt(_ prompt: String = "kolom>", sourceLocation: SourceLocation = #_sourceLocation) throws {
    try wait(for: "an empty prompt", sourceLocation: sourceLocation) { screen in
      let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      return lines.last(where: { !$0.isEmpty }) == prompt
    }
  }

  /// Presses Ctrl-D at an empty prompt and waits for the REPL to exit with status 0.
  func leaveWithCtrlD(sourceLocation: SourceLocation = #_sourceLocation) throws {
    try waitForPrompt(sourceLocation: sourceLocation)
    try press("C-d")
    try wait(forText: "[exit 0]", sourceLocation: sourceLocation)
  }

  /// Waits until `text` appears `times` times on the screen.
  @discardableResult
  func wait(forText text: String, times: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try wait(for: "\"\(text)\" (\(times)×)", sourceLocation: sourceLocation) { $0.occurrences(of: text) >= times }
  }

  @discardableResult
  private func tmux(_ arguments: [String]) throws -> String {
    let result = try run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments)
    guard result.status == 0 else { throw TmuxError(message: "tmux \(arguments.first ?? ""): \(result.error)") }
    return result.output
  }
}

struct TmuxError: Error { let message: String }

extension String {
  func occurrences(of text: String) -> Int { components(separatedBy: text).count - 1 }
}
