// A delivery file's bytes: a regular file is mapped into memory rather than copied, so
// ingest reads them where the page cache holds them; a pipe or a terminal is read to
// its end. Delivery files lie outside the store, so they do not go through the store's
// FileSystem seam.
import Foundation

/// The bytes of a delivery file, held until the value is released.
public final class DeliveryFile: @unchecked Sendable {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let isMapped: Bool

  /// The number of bytes.
  public var count: Int { bytes.count }

  /// `body` with the file's bytes, which stay valid until it returns.
  public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
    try withExtendedLifetime(self) { try body(bytes) }
  }

  /// The file at `path`; throws `StoreError.fileSystem` naming it when it cannot be read.
  public convenience init(path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw Self.failure("open", path) }
    defer { close(fd) }
    try self.init(reading: fd, name: path)
  }

  /// What the open descriptor `fd` holds from where it stands (a file, a pipe, stdin),
  /// named `name` in errors. `fd` stays open.
  public init(reading fd: Int32, name: String) throws {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw Self.failure("stat", name) }
    if info.st_mode & S_IFMT == S_IFDIR { throw StoreError.fileSystem(FileSystemError("read", name, .other(EISDIR))) }
    if info.st_mode & S_IFMT == S_IFREG && info.st_size > 0 && lseek(fd, 0, SEEK_CUR) == 0 {
      // MAP_POPULATE: the kernel fills the mapping at once, cheaper than a fault per page.
      let address = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
      guard let address, address != MAP_FAILED else { throw Self.failure("map", name) }
      bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: Int(info.st_size))
      isMapped = true
    } else {
      bytes = try Self.readToEnd(fd, name: name)
      isMapped = false
    }
  }

  deinit {
    guard let base = bytes.baseAddress else { return }
    if isMapped { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) } else { base.deallocate() }
  }

  /// Everything `fd` gives until its end, in memory of its own (nil base when empty).
  private static func readToEnd(_ fd: Int32, name: String) throws -> UnsafeBufferPointer<UInt8> {
    var capacity = 1 << 20
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    var count = 0
    while true {
      if count == capacity {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        (buffer, capacity) = (larger, capacity * 2)
      }
      let n = read(fd, buffer + count, capacity - count)
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        buffer.deallocate()
        throw failure("read", name)
      }
      if n == 0 { break }
      count += n
    }
    guard count > 0 else {
      buffer.deallocate()
      return UnsafeBufferPointer(start: nil, count: 0)
    }
    return UnsafeBufferPointer(start: buffer, count: count)
  }

  private static func failure(_ operation: String, _ path: String) -> StoreError {
    .fileSystem(FileSystemError(operation, path, errno == ENOENT ? .notFound : .other(errno)))
  }
}
