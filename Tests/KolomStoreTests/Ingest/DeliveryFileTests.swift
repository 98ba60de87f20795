// Delivery files: a regular file is mapped, a pipe is read to its end, an empty file has
// no bytes, and a file that cannot be read is named in the error.
import Foundation
import Testing

@testable import KolomStore

@Suite struct DeliveryFileTests {
  private func temporary(_ content: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "kolom-delivery-\(UUID().uuidString).csv"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(content)))
    return path
  }

  @Test func aRegularFileAndAPipeGiveTheirBytes() throws {
    let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let path = try temporary(content)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try DeliveryFile(path: path).withBytes { Array($0) } == content)
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let (output, input) = (ends[0], ends[1])
    // Written a page at a time from another thread while the file reads the other end.
    let writer = Thread {
      content.withUnsafeBytes { bytes in
        var at = 0
        while at < bytes.count { at += max(0, write(input, bytes.baseAddress! + at, min(4_096, bytes.count - at))) }
      }
      close(input)
    }
    writer.start()
    defer { close(output) }
    #expect(try DeliveryFile(reading: output, name: "<stdin>").withBytes { Array($0) } == content)
  }

  @Test func anEmptyFileHasNoBytes() throws {
    let path = try temporary([])
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try DeliveryFile(path: path).count == 0)
  }

  @Test func aFileThatCannotBeReadIsNamed() {
    #expect {
      try DeliveryFile(path: "/nonexistent/d.csv")
    } throws: { error in
      "\(error)" == "cannot open /nonexistent/d.csv: no such file or directory; the store is unchanged"
    }
    #expect {
      try DeliveryFile(path: NSTemporaryDirectory())
    } throws: { error in
      "\(error)".hasPrefix("cannot read \(NSTemporaryDirectory()): Is a directory")
    }
  }
}
