// A segment file opened for reading with pread, for the file commands (inspect, verify
// FILE), which read a file wherever it lies rather than through a store.
import Foundation
import KolomFormat

/// A segment file read with `pread`.
final class FileSegment: SegmentSource, @unchecked Sendable {
  let size: Int
  private let descriptor: Int32
  let path: String

  init(path: String) throws {
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw CLIError("cannot stat \(path)") }
    size = Int(info.st_size)
    self.path = path
  }

  deinit { close(descriptor) }

  func read(offset: Int, count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
      }
      guard n > 0 else { throw CLIError("cannot read \(path) at \(offset + done)") }
      done += n
    }
    return bytes
  }
}

/// A failure outside the library (files, arguments) with its message.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  /// The details were already printed; exit non-zero without another message.
  var silent = false
  init(_ message: String, silent: Bool = false) {
    description = message
    self.silent = silent
  }
}
