// FileSystem: the seam every read and write of the store goes through, so that
// tests can run the store in memory and inject crashes, ENOSPC and EIO at any step.
import Foundation
import KolomFormat

/// The file operations the store needs, each one a separate step that can fail.
/// Paths are absolute or relative to the process; directories are separated by "/".
public protocol FileSystem: AnyObject, Sendable {
  /// The whole content of a file.
  func readFile(_ path: String) throws -> [UInt8]
  /// A file opened for random-access reads; it stays readable after the file is removed.
  func openSegment(_ path: String) throws -> any SegmentSource
  /// Creates or replaces a file with `bytes`. Not durable until `syncFile`.
  func writeFile(_ path: String, _ bytes: [UInt8]) throws
  /// Makes a file's content durable (fsync).
  func syncFile(_ path: String) throws
  /// Atomically renames a file, replacing any file at `target`. Durable after `syncDirectory`.
  func rename(_ path: String, to target: String) throws
  /// Removes a file.
  func removeFile(_ path: String) throws
  /// Creates a directory whose parent exists; does nothing when it exists.
  func makeDirectory(_ path: String) throws
  /// Removes an empty directory.
  func removeDirectory(_ path: String) throws
  /// Makes a directory's entries (creations, renames, removals) durable.
  func syncDirectory(_ path: String) throws
  /// The names in a directory, sorted; empty when it does not exist.
  func listDirectory(_ path: String) throws -> [String]
  /// Whether a file or directory exists at `path`.
  func exists(_ path: String) -> Bool
  /// Takes the store's writer lock at `path`, or throws `StoreError.locked` naming the holder.
  func lock(_ path: String) throws -> any WriterLock
}

/// A held writer lock; released by `release()` or when the process ends.
public protocol WriterLock: AnyObject, Sendable {
  func release()
}

/// A failed file operation, with the operation, the path and the system's reason.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    case notFound
    case noSpace
    case ioError
    case crashed
    case other(Int32)
  }
  public var operation: String
  public var path: String
  public var reason: Reason

  public init(_ operation: String, _ path: String, _ reason: Reason) {
    self.operation = operation
    self.path = path
    self.reason = reason
  }

  public var description: String {
    let why: String
    switch reason {
    case .notFound: why = "no such file or directory"
    case .noSpace: why = "no space left on device"
    case .ioError: why = "input/output error"
    case .crashed: why = "the process crashed (injected)"
    case .other(let code): why = String(cString: strerror(code))
    }
    return "cannot \(operation) \(path): \(why)"
  }
}

extension FileSystem {
  /// Writes `bytes` to `temporary`, syncs it, renames it to `path` and syncs the
  /// directory: after this returns, `path` durably holds `bytes` or, after a crash
  /// at any step, its previous content.
  func writeDurably(_ bytes: [UInt8], to path: String, via temporary: String) throws {
    try writeFile(temporary, bytes)
    try syncFile(temporary)
    try rename(temporary, to: path)
    try syncDirectory(Paths.parent(of: path))
  }
}

/// Path arithmetic on "/"-separated paths.
enum Paths {
  static func join(_ parts: String...) -> String { parts.joined(separator: "/") }

  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func name(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }
}
