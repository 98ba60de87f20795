// The pseudonymisation key (privacy-security.md §5, REQ-PS-1): a client number is
// stored only as HMAC-SHA256 under a secret key, truncated to 16 bytes. The key lives
// in a key file outside the store; the manifest records only its version and its
// fingerprint, so a store refuses records pseudonymised under another key.
// format-spec/dataset.md, "Key file", gives the file's form.
import COpenSSL
import Foundation

/// A pseudonymisation key, loaded from its key file.
public final class PseudonymKey: @unchecked Sendable {
  /// The key's version; a new key (rotation) gets a higher one.
  public let version: Int
  /// The first 16 hex digits of HMAC-SHA256(key, "kolom key fingerprint"): names the
  /// key without revealing it.
  public let fingerprint: String
  /// The key's inner and outer SHA-256 states: only read (each call copies them by
  /// value), so any number of threads may use one key at once.
  private let state: UnsafeMutablePointer<kolom_hmac_state>

  /// The bytes of a pseudonym.
  public static let width = 16
  /// Bytes of key material.
  static let keyBytes = 32

  init(version: Int, key: [UInt8]) throws {
    guard let state = key.withUnsafeBufferPointer({ kolom_hmac_state_new($0.baseAddress, $0.count) }) else {
      throw StoreError.invalidSetting("OpenSSL could not set up HMAC-SHA256")
    }
    self.version = version
    self.state = state
    fingerprint = Self.hex(try Self.mac(Array("kolom key fingerprint".utf8), state: state).prefix(8))
  }

  deinit { kolom_hmac_state_free(state) }

  /// HMAC-SHA256 of `message` under the key (32 bytes).
  public func mac(_ message: [UInt8]) throws -> [UInt8] {
    try Self.mac(message, state: state)
  }

  private static func mac(_ message: [UInt8], state: UnsafeMutablePointer<kolom_hmac_state>) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    let ok = message.withUnsafeBufferPointer { m in
      out.withUnsafeMutableBufferPointer { kolom_hmac_state_mac(state, m.baseAddress, m.count, $0.baseAddress) }
    }
    guard ok == 1 else { throw StoreError.invalidSetting("OpenSSL failed to compute HMAC-SHA256") }
    return out
  }

  /// The pseudonym of a client number: HMAC-SHA256 of its normalised form (surrounding
  /// blanks removed, ASCII letters upper-cased), truncated to 16 bytes. nil when the
  /// number is empty, longer than 64 bytes or holds a control character.
  public func pseudonym<C: BidirectionalCollection<UInt8>>(of clientNumber: C) -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: Self.width)
    let made = Array(clientNumber).withUnsafeBufferPointer { clear in
      out.withUnsafeMutableBufferPointer { pseudonym(of: clear, into: $0.baseAddress!) }
    }
    return made ? out : nil
  }

  /// `pseudonym(of:)` into `out` (16 bytes), without allocating: ingest's hot path.
  /// Returns false, writing nothing, for a number that is not a client number.
  func pseudonym(of clientNumber: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64 + 32) { buffer in
      // The normalised number and the full MAC are wiped before the buffer is given back.
      defer { OPENSSL_cleanse(buffer.baseAddress, buffer.count) }
      guard let length = Self.normalise(clientNumber, into: buffer.baseAddress!) else { return false }
      let mac = buffer.baseAddress! + 64
      guard kolom_hmac_state_mac(state, buffer.baseAddress, length, mac) == 1 else { return false }
      out.update(from: mac, count: Self.width)
      return true
    }
  }

  public func pseudonym(of clientNumber: String) -> [UInt8]? { pseudonym(of: Array(clientNumber.utf8)) }

  /// The normal form of a client number into `out` (room for 64 bytes): surrounding
  /// blanks removed, ASCII letters upper-cased. Its length, or nil when it is empty,
  /// longer than 64 bytes or holds a control character.
  static func normalise(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int? {
    var start = 0
    var end = text.count
    while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
    while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
    guard end > start, end - start <= 64 else { return nil }
    for i in start..<end {
      let b = text[i]
      guard b >= 0x20 && b != 0x7F else { return nil }
      out[i - start] = (0x61...0x7A).contains(b) ? b - 0x20 : b
    }
    return end - start
  }

  static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
