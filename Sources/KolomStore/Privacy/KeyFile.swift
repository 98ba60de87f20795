// The key file: where a pseudonymisation key lives, outside the store, readable by its
// owner only. `kolom keygen` writes one; every command that takes client numbers
// loads one and refuses a file inside the store or open to others.
import COpenSSL
import Foundation

extension PseudonymKey {
  /// Writes a new random key of `version` to `path` (mode 0600; never over an existing file).
  @discardableResult
  public static func generate(to path: String, version: Int = 1) throws -> PseudonymKey {
    guard version >= 1 else { throw StoreError.invalidKey(path: path, detail: "the version must be 1 or more") }
    var key = [UInt8](repeating: 0, count: keyBytes)
    guard key.withUnsafeMutableBufferPointer({ RAND_bytes($0.baseAddress, Int32($0.count)) }) == 1 else {
      throw StoreError.invalidKey(path: path, detail: "OpenSSL could not draw random bytes")
    }
    defer { for i in key.indices { key[i] = 0 } }
    let text = """
      # Kolom pseudonymisation key. Keep it outside the store, readable by its owner only,
      # and in a backup of its own: without it, new records cannot be linked to earlier ones.
      version \(version)
      key \(hex(key))

      """
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      throw StoreError.invalidKey(
        path: path,
        detail: errno == EEXIST
          ? "a file is already there; a key is never overwritten" : String(cString: strerror(errno)))
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
      throw StoreError.invalidKey(path: path, detail: String(cString: strerror(errno)))
    }
    return try PseudonymKey(version: version, key: key)
  }

  /// Loads the key at `path`, refusing a file that others may read or write, or one
  /// inside the store at `store` (when given).
  public static func load(from path: String, store: String? = nil) throws -> PseudonymKey {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw StoreError.invalidKey(path: path, detail: String(cString: strerror(errno)))
    }
    guard status.st_mode & 0o077 == 0 else {
      throw StoreError.invalidKey(
        path: path, detail: "others may read it (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it")
    }
    if let store, let inside = isInside(path, store), inside {
      throw StoreError.invalidKey(path: path, detail: "it is inside the store; a key must be kept apart from the data")
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw StoreError.invalidKey(path: path, detail: "it cannot be read as text")
    }
    var version: Int?
    var key: [UInt8]?
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let words = line.split(separator: " ")
      if line.hasPrefix("#") || words.isEmpty { continue }
      switch (words.first, words.count) {
      case ("version", 2): version = Int(words[1])
      case ("key", 2): key = bytes(hex: words[1])
      default: throw StoreError.invalidKey(path: path, detail: "line \(n + 1) is not 'version N' or 'key HEX'")
      }
    }
    guard let version, version >= 1 else { throw StoreError.invalidKey(path: path, detail: "no 'version N' line") }
    guard var key, key.count == keyBytes else {
      throw StoreError.invalidKey(path: path, detail: "no 'key' line of \(keyBytes * 2) hex digits")
    }
    defer { for i in key.indices { key[i] = 0 } }
    return try PseudonymKey(version: version, key: key)
  }

  /// Whether `path` lies inside the directory `directory` (both resolved); nil when
  /// either cannot be resolved.
  static func isInside(_ path: String, _ directory: String) -> Bool? {
    guard let file = realpath(path, nil), let root = realpath(directory, nil) else { return nil }
    defer {
      free(file)
      free(root)
    }
    let f = String(cString: file)
    let r = String(cString: root)
    return f == r || f.hasPrefix(r.hasSuffix("/") ? r : r + "/")
  }

  /// The bytes of hex digits, or nil.
  public static func bytes<S: StringProtocol>(hex text: S) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    for i in stride(from: 0, to: digits.count, by: 2) {
      guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
      out.append(high << 4 | low)
    }
    return out
  }

  private static func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x61 + 10
    case 0x41...0x46: c - 0x41 + 10
    default: nil
    }
  }
}
