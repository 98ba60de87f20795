// SegmentSource: where a reader gets bytes from. KolomFormat knows no file system;
// the store supplies files, tests and the fuzzer supply arrays.

/// Random access to the bytes of one segment file.
public protocol SegmentSource: Sendable {
  /// The file's size in bytes.
  var size: Int { get }
  /// `count` bytes at `offset`; the reader has checked the range lies inside `size`.
  func read(offset: Int, count: Int) throws -> [UInt8]
}

/// A segment held in memory.
public struct InMemorySegment: SegmentSource {
  public let bytes: [UInt8]

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public var size: Int { bytes.count }

  public func read(offset: Int, count: Int) throws -> [UInt8] {
    Array(bytes[offset..<(offset + count)])
  }
}
