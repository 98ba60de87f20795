// RealFileSystem: the store's files on disk, through POSIX calls, with fsync of
// files and directories and an fcntl lock for the single writer.
import Foundation
import KolomFormat

/// The real file system.
public final class RealFileSystem: FileSystem {
  public init() {}

  public func readFile(_ path: String) throws -> [UInt8] {
    let source = try openSegment(path)
    return try source.read(offset: 0, count: source.size)
  }

  public func openSegment(_ path: String) throws -> any SegmentSource {
    try DescriptorSource(path: path)
  }

  public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw failure("create", path) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
      guard n > 0 else { throw failure("write", path) }
      written += n
    }
  }

  public func syncFile(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw failure("open", path) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw failure("fsync", path) }
  }

  public func rename(_ path: String, to target: String) throws {
    guard Foundation.rename(path, target) == 0 else { throw failure("rename", path) }
  }

  public func removeFile(_ path: String) throws {
    guard unlink(path) == 0 || errno == ENOENT else { throw failure("remove", path) }
  }

  public func makeDirectory(_ path: String) throws {
    guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("create directory", path) }
  }

  public func removeDirectory(_ path: String) throws {
    guard rmdir(path) == 0 || errno == ENOENT else { throw failure("remove directory", path) }
  }

  public func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw failure("open directory", path) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw failure("fsync directory", path) }
  }

  public func listDirectory(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
      if errno == ENOENT { return [] }
      throw failure("list", path)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public func lock(_ path: String) throws -> any WriterLock {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw failure("open", path) }
    var request = flock()
    request.l_type = Int16(F_WRLCK)
    request.l_whence = Int16(SEEK_SET)
    guard fcntl(fd, F_SETLK, &request) == 0 else {
      let holder = fcntlHolder(fd)
      close(fd)
      throw StoreError.locked(pid: holder)
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, pid.count, 0) }
    return DescriptorLock(fd: fd)
  }

  private func fcntlHolder(_ fd: Int32) -> Int {
    var query = flock()
    query.l_type = Int16(F_WRLCK)
    query.l_whence = Int16(SEEK_SET)
    return fcntl(fd, F_GETLK, &query) == 0 && query.l_type != Int16(F_UNLCK) ? Int(query.l_pid) : 0
  }

  private func failure(_ operation: String, _ path: String) -> FileSystemError {
    let code = errno
    let reason: FileSystemError.Reason =
      switch code {
      case ENOENT: .notFound
      case ENOSPC: .noSpace
      case EIO: .ioError
      default: .other(code)
      }
    return FileSystemError(operation, path, reason)
  }
}

/// An open file read with pread; reads keep working after the file is unlinked.
final class DescriptorSource: SegmentSource, @unchecked Sendable {
  let size: Int
  private let fd: Int32
  private let path: String

  init(path: String) throws {
    fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw FileSystemError("open", path, errno == ENOENT ? .notFound : .other(errno))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      close(fd)
      throw FileSystemError("stat", path, .other(errno))
    }
    size = Int(info.st_size)
    self.path = path
  }

  deinit { close(fd) }

  func read(offset: Int, count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
      guard n > 0 else { throw FileSystemError("read", path, n == 0 ? .other(0) : .ioError) }
      done += n
    }
    return bytes
  }
}

final class DescriptorLock: WriterLock, @unchecked Sendable {
  private var fd: Int32

  init(fd: Int32) { self.fd = fd }

  func release() {
    if fd >= 0 { close(fd) }
    fd = -1
  }

  deinit { release() }
}
