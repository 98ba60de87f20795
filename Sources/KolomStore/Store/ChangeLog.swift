// The change log: an append-only, hash-chained record of every commit (creation,
// append, expiry, compaction, retention change, erasure, rectification, restriction).
// An entry holds when, what, who, for which request, and per year the record counts
// and segment files before and after. It never holds a pseudonym, a client number or
// a value. format-spec/dataset.md, "Change log", gives the files.
//
// Each entry is a file `log/<n>.json`; entry n names the SHA-256 of entry n−1's
// bytes, and the manifest names the last entry's hash and count, so an edited,
// removed, reordered or truncated entry breaks the chain. The manifest carries the
// newest entry's text too: the entry commits atomically with its change, and an entry
// lost to a crash before its file was written is written on the next open.
import COpenSSL
import Foundation

/// What a commit does, for its change-log entry.
public struct Change: Sendable {
  /// create, append, expire, compact, retention, erase, rectify, restrict, unrestrict.
  public var operation: String
  /// The request it serves (e.g. the data-protection officer's case number), if any.
  public var request: String?
  /// Column names changed (rectification); never values.
  public var columns: [String]?
  /// A content-free remark (e.g. "retention 10 → 7 years").
  public var detail: String?

  public init(_ operation: String, request: String? = nil, columns: [String]? = nil, detail: String? = nil) {
    self.operation = operation
    self.request = request
    self.columns = columns
    self.detail = detail
  }
}

/// One entry of the log, as stored.
public struct ChangeEntry: Codable, Sendable, Equatable {
  public struct FileStamp: Codable, Sendable, Equatable {
    public var name: String
    /// The segment's footer checksum (XXH3-64 of its footer, which holds every chunk's checksum).
    public var checksum: String
  }
  public struct YearChange: Codable, Sendable, Equatable {
    public var year: Int
    public var recordsBefore: Int
    public var recordsAfter: Int
    public var filesBefore: [FileStamp]
    public var filesAfter: [FileStamp]

    enum CodingKeys: String, CodingKey {
      case year
      case recordsBefore = "records_before"
      case recordsAfter = "records_after"
      case filesBefore = "files_before"
      case filesAfter = "files_after"
    }
  }
  /// 1, 2, …: the entry's place in the log.
  public var number: Int
  /// UTC instant of the commit.
  public var time: String
  public var operation: String
  public var request: String?
  /// Who ran it (the operating-system user, or `--actor`).
  public var actor: String
  public var columns: [String]?
  public var detail: String?
  /// The manifest sequence the commit made.
  public var sequence: Int
  /// Years whose files changed.
  public var years: [YearChange]
  /// SHA-256 (hex) of the previous entry's bytes; 64 zeros for the first.
  public var previous: String

  enum CodingKeys: String, CodingKey {
    case number, time, operation, request, actor, columns, detail, sequence, years, previous
  }

  /// The entry's bytes: sorted-key JSON on one line.
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return [UInt8](try! encoder.encode(self)) + [0x0A]
  }

  /// The entry of `change`, going from manifest `before` to `after`.
  static func make(
    _ change: Change, actor: String, time: Date, before: Manifest, after: Manifest, head: ChangeLogHead?
  ) -> ChangeEntry {
    func stamps(_ partition: YearPartition?) -> [FileStamp] {
      (partition?.files ?? []).map { FileStamp(name: $0.name, checksum: $0.footerChecksum) }
    }
    let years = Set(before.years.map(\.year) + after.years.map(\.year)).sorted().compactMap { year -> YearChange? in
      let (old, new) = (before.partition(year), after.partition(year))
      guard old?.files != new?.files else { return nil }
      return YearChange(
        year: year, recordsBefore: old?.rows ?? 0, recordsAfter: new?.rows ?? 0, filesBefore: stamps(old),
        filesAfter: stamps(new))
    }
    return ChangeEntry(
      number: (head?.entries ?? 0) + 1, time: Instant.format(time), operation: change.operation,
      request: change.request, actor: actor, columns: change.columns, detail: change.detail,
      sequence: after.sequence, years: years, previous: head?.hash ?? String(repeating: "0", count: 64))
  }
}

/// The manifest's anchor of the log: how many entries, the last one's hash and text.
public struct ChangeLogHead: Codable, Sendable, Equatable {
  public var entries: Int
  /// SHA-256 (hex) of entry `entries`.
  public var hash: String
  /// Entry `entries` itself, so that the entry commits with its change.
  public var last: String
}

/// What `verifyLog` found.
public struct LogReport: Sendable {
  public var entries: Int
  /// Problems, each naming the entry; empty when the log is intact.
  public var problems: [String]
}

enum ChangeLogHash {
  static func sha256(_ bytes: [UInt8]) -> String {
    var out = [UInt8](repeating: 0, count: 32)
    let ok = bytes.withUnsafeBufferPointer { b in
      out.withUnsafeMutableBufferPointer { kolom_sha256(b.baseAddress, b.count, $0.baseAddress) }
    }
    precondition(ok == 1, "OpenSSL's SHA-256 failed")
    return PseudonymKey.hex(out)
  }
}

extension Store {
  /// `next` with the log entry of `change` (from the live manifest to `next`) in its head.
  func withLogEntry(_ next: Manifest, _ change: Change) -> Manifest {
    var next = next
    let entry = ChangeEntry.make(
      change, actor: actor, time: clock.now(), before: manifest, after: next, head: manifest.changeLog)
    let bytes = entry.encoded()
    next.changeLog = ChangeLogHead(
      entries: entry.number, hash: ChangeLogHash.sha256(bytes), last: String(decoding: bytes, as: UTF8.self))
    return next
  }

  /// Writes the manifest's newest entry to `log/` when it is not there yet (after a
  /// commit, and on open after a crash between the two).
  func writePendingLogEntry() throws {
    guard let head = manifest.changeLog else { return }
    let path = layout.logEntry(head.entries)
    if fileSystem.exists(path) { return }
    if !fileSystem.exists(layout.log) {
      try fileSystem.makeDirectory(layout.log)
      try fileSystem.syncDirectory(layout.root)
    }
    try fileSystem.writeDurably(
      Array(head.last.utf8), to: path, via: layout.temporary("log-\(StoreLayout.number(head.entries)).json"))
  }

  /// Checks the log: every entry parses, numbers run 1…n without a gap, each names its
  /// predecessor's hash, and the last matches the manifest's head.
  public func verifyLog() throws -> LogReport {
    try Store.fileOperation {
      var problems: [String] = []
      let names = try fileSystem.listDirectory(layout.log)
      var expected = 1
      var previous = String(repeating: "0", count: 64)
      for name in names {
        guard name.hasSuffix(".json"), let number = Int(name.dropLast(5)) else {
          problems.append("log/\(name): not a log entry's name")
          continue
        }
        if number != expected {
          problems.append(
            number > expected
              ? "entries \(expected)…\(number - 1) are missing (removed)" : "entry \(number) is out of place")
        }
        let bytes = try fileSystem.readFile(Paths.join(layout.log, name))
        guard let entry = try? JSONDecoder().decode(ChangeEntry.self, from: Data(bytes)) else {
          problems.append("entry \(number): does not parse (edited or truncated)")
          expected = number + 1
          previous = ChangeLogHash.sha256(bytes)
          continue
        }
        if entry.number != number { problems.append("entry \(number): says it is entry \(entry.number) (reordered)") }
        if entry.previous != previous {
          problems.append(
            "entry \(number): the hash of entry \(number - 1) differs (an entry was edited, removed or reordered)")
        }
        previous = ChangeLogHash.sha256(bytes)
        expected = number + 1
      }
      let count = expected - 1
      if let head = manifest.changeLog {
        if count < head.entries {
          problems.append("the manifest names \(head.entries) entries, the log holds \(count) (truncated)")
        } else if count > head.entries {
          problems.append("the log holds \(count) entries, the manifest names \(head.entries) (entries were added)")
        } else if previous != head.hash {
          problems.append("entry \(count): differs from the entry the manifest committed (edited)")
        }
      } else if count > 0 {
        problems.append("the manifest names no log, the log holds \(count) entries")
      }
      return LogReport(entries: count, problems: problems)
    }
  }
}

extension Store {
  /// The log's entries as stored, oldest first (each a JSON line).
  public func logEntries() throws -> [String] {
    try Store.fileOperation {
      try fileSystem.listDirectory(layout.log).map {
        String(decoding: try fileSystem.readFile(Paths.join(layout.log, $0)), as: UTF8.self)
      }
    }
  }
}
