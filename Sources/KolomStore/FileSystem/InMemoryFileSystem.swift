// InMemoryFileSystem: files and directories in memory, with a model of what is
// durable (synced file contents, synced directory entries), so tests can simulate a
// power loss that drops every unsynced write, rename and removal.
import KolomFormat
import Synchronization

/// A file system in memory. `powerLoss()` returns it to its durable state.
public final class InMemoryFileSystem: FileSystem {
  enum Entry: Equatable, Sendable {
    case file(Int)
    case directory
  }
  struct State: Sendable {
    var contents: [Int: [UInt8]] = [:]
    var durableContents: [Int: [UInt8]] = [:]
    var directories: [String: [String: Entry]] = ["/": [:]]
    var durableDirectories: [String: [String: Entry]] = ["/": [:]]
    var nextInode = 1
    var locks: Set<String> = []
  }
  private let state: Mutex<State>

  public init() { state = Mutex(State()) }

  private init(_ copy: State) { state = Mutex(copy) }

  /// An independent copy of this file system, current and durable state alike.
  public func copy() -> InMemoryFileSystem {
    InMemoryFileSystem(state.withLock { $0 })
  }

  /// Forgets everything that was not made durable: unsynced contents and directory
  /// entries that no `syncDirectory` covered. Locks are released (the process died).
  public func powerLoss() {
    state.withLock { s in
      var directories: [String: [String: Entry]] = [:]
      func restore(_ path: String) {
        let entries = s.durableDirectories[path] ?? [:]
        directories[path] = entries
        for (name, entry) in entries where entry == .directory { restore(path == "/" ? "/" + name : path + "/" + name) }
      }
      restore("/")
      s.directories = directories
      s.durableDirectories = s.durableDirectories.filter { directories[$0.key] != nil }
      s.contents = s.durableContents
      s.locks = []
    }
  }

  /// Releases every lock, as when the process holding them ends.
  public func releaseLocks() { state.withLock { $0.locks = [] } }

  /// Every file's current content, by path: for scanning the whole store in tests.
  public func allFiles() -> [String: [UInt8]] {
    state.withLock { s in
      var files: [String: [UInt8]] = [:]
      for (directory, entries) in s.directories {
        for (name, entry) in entries {
          if case .file(let inode) = entry {
            files[(directory == "/" ? "" : directory) + "/" + name] = s.contents[inode]
          }
        }
      }
      return files
    }
  }

  public func readFile(_ path: String) throws -> [UInt8] {
    try state.withLock { s in
      guard case .file(let inode)? = try entry(s, path, "read") else { throw FileSystemError("read", path, .notFound) }
      return s.contents[inode] ?? []
    }
  }

  public func openSegment(_ path: String) throws -> any SegmentSource {
    InMemorySegment(try readFile(path))
  }

  public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try state.withLock { s in
      let (directory, name) = try split(s, path, "create")
      if case .file(let inode)? = s.directories[directory]![name] {
        s.contents[inode] = bytes
      } else {
        let inode = s.nextInode
        s.nextInode += 1
        s.contents[inode] = bytes
        s.directories[directory]![name] = .file(inode)
      }
    }
  }

  public func syncFile(_ path: String) throws {
    try state.withLock { s in
      guard case .file(let inode)? = try entry(s, path, "fsync") else {
        throw FileSystemError("fsync", path, .notFound)
      }
      s.durableContents[inode] = s.contents[inode]
    }
  }

  public func rename(_ path: String, to target: String) throws {
    try state.withLock { s in
      let (from, name) = try split(s, path, "rename")
      guard let moved = s.directories[from]![name] else { throw FileSystemError("rename", path, .notFound) }
      let (to, newName) = try split(s, target, "rename")
      s.directories[from]![name] = nil
      s.directories[to]![newName] = moved
    }
  }

  public func removeFile(_ path: String) throws {
    try state.withLock { s in
      let (directory, name) = try split(s, path, "remove")
      if case .file? = s.directories[directory]![name] { s.directories[directory]![name] = nil }
    }
  }

  public func makeDirectory(_ path: String) throws {
    try state.withLock { s in
      let (directory, name) = try split(s, path, "create directory")
      if s.directories[directory]![name] != nil { return }
      s.directories[directory]![name] = .directory
      s.directories[path] = [:]
    }
  }

  public func removeDirectory(_ path: String) throws {
    try state.withLock { s in
      guard let entries = s.directories[path] else { return }
      guard entries.isEmpty else { throw FileSystemError("remove directory", path, .other(39)) }
      let (directory, name) = try split(s, path, "remove directory")
      s.directories[directory]![name] = nil
      s.directories[path] = nil
    }
  }

  public func syncDirectory(_ path: String) throws {
    try state.withLock { s in
      guard let entries = s.directories[path] else { throw FileSystemError("fsync directory", path, .notFound) }
      s.durableDirectories[path] = entries
    }
  }

  public func listDirectory(_ path: String) throws -> [String] {
    state.withLock { s in (s.directories[path] ?? [:]).keys.sorted() }
  }

  public func exists(_ path: String) -> Bool {
    state.withLock { s in s.directories[path] != nil || (try? entry(s, path, "stat")) != nil }
  }

  public func lock(_ path: String) throws -> any WriterLock {
    try state.withLock { s in
      guard s.locks.insert(path).inserted else { throw StoreError.locked(pid: Int(getpidForTests())) }
    }
    return InMemoryLock(fileSystem: self, path: path)
  }

  fileprivate func unlock(_ path: String) { _ = state.withLock { $0.locks.remove(path) } }

  private func entry(_ s: State, _ path: String, _ operation: String) throws -> Entry? {
    let (directory, name) = try split(s, path, operation)
    return s.directories[directory]![name]
  }

  private func split(_ s: State, _ path: String, _ operation: String) throws -> (String, String) {
    let directory = Paths.parent(of: path)
    guard s.directories[directory] != nil else { throw FileSystemError(operation, path, .notFound) }
    return (directory, Paths.name(of: path))
  }
}

private final class InMemoryLock: WriterLock, @unchecked Sendable {
  private var fileSystem: InMemoryFileSystem?
  private let path: String

  init(fileSystem: InMemoryFileSystem, path: String) {
    self.fileSystem = fileSystem
    self.path = path
  }

  func release() {
    fileSystem?.unlock(path)
    fileSystem = nil
  }
}

#if canImport(Glibc)
  import Glibc
  private func getpidForTests() -> Int32 { getpid() }
#else
  import Darwin
  private func getpidForTests() -> Int32 { getpid() }
#endif
