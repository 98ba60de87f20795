// FaultInjectingFileSystem: counts every mutating step (write, fsync, rename, remove,
// mkdir) and fails the chosen one: a crash (this and every later step fail, as if the
// process died there; a crashing write leaves the first half of its bytes, a torn
// write), or ENOSPC / EIO (this step fails, later ones work).
import KolomFormat
import Synchronization

/// Wraps a file system and injects one fault at a numbered mutating step.
public final class FaultInjectingFileSystem: FileSystem {
  public enum Fault: Sendable {
    case crash
    case noSpace
    case ioError
  }
  struct State {
    var steps: [String] = []
    var crashed = false
  }
  public let base: any FileSystem
  private let faultStep: Int?
  private let fault: Fault
  private let state = Mutex(State())

  /// Fails step number `step` (0-based) with `fault`; nil never fails (counting only).
  public init(_ base: any FileSystem, failingStep step: Int? = nil, with fault: Fault = .crash) {
    self.base = base
    faultStep = step
    self.fault = fault
  }

  /// The mutating steps seen so far, as "operation path".
  public var steps: [String] { state.withLock { $0.steps } }

  /// Whether the injected crash has happened.
  public var hasCrashed: Bool { state.withLock { $0.crashed } }

  private func step(_ operation: String, _ path: String) throws {
    try state.withLock { s in
      if s.crashed { throw FileSystemError(operation, path, .crashed) }
      let number = s.steps.count
      s.steps.append("\(operation) \(path)")
      guard number == faultStep else { return }
      switch fault {
      case .crash:
        s.crashed = true
        throw FileSystemError(operation, path, .crashed)
      case .noSpace: throw FileSystemError(operation, path, .noSpace)
      case .ioError: throw FileSystemError(operation, path, .ioError)
      }
    }
  }

  private func checkAlive(_ operation: String, _ path: String) throws {
    if hasCrashed { throw FileSystemError(operation, path, .crashed) }
  }

  public func readFile(_ path: String) throws -> [UInt8] {
    try checkAlive("read", path)
    return try base.readFile(path)
  }

  public func openSegment(_ path: String) throws -> any SegmentSource {
    try checkAlive("open", path)
    return try base.openSegment(path)
  }

  public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let number = state.withLock { $0.steps.count }
    do {
      try step("write", path)
    } catch let error as FileSystemError where error.reason == .crashed {
      if number == faultStep { try? base.writeFile(path, Array(bytes.prefix(bytes.count / 2))) }
      throw error
    }
    try base.writeFile(path, bytes)
  }

  public func syncFile(_ path: String) throws {
    try step("fsync", path)
    try base.syncFile(path)
  }

  public func rename(_ path: String, to target: String) throws {
    try step("rename", path)
    try base.rename(path, to: target)
  }

  public func removeFile(_ path: String) throws {
    try step("remove", path)
    try base.removeFile(path)
  }

  public func makeDirectory(_ path: String) throws {
    try step("mkdir", path)
    try base.makeDirectory(path)
  }

  public func removeDirectory(_ path: String) throws {
    try step("rmdir", path)
    try base.removeDirectory(path)
  }

  public func syncDirectory(_ path: String) throws {
    try step("fsync-dir", path)
    try base.syncDirectory(path)
  }

  public func listDirectory(_ path: String) throws -> [String] {
    try checkAlive("list", path)
    return try base.listDirectory(path)
  }

  public func exists(_ path: String) -> Bool { base.exists(path) }

  public func lock(_ path: String) throws -> any WriterLock {
    try checkAlive("lock", path)
    return try base.lock(path)
  }
}
