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
  private let state: UnsafeMutablePointer<kolom_hmac_state>
  private let lock = NSLock()

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

  private init(version: Int, fingerprint: String, state: UnsafeMutablePointer<kolom_hmac_state>) {
    self.version = version
    self.fingerprint = fingerprint
    self.state = state
  }

  deinit { kolom_hmac_state_free(state) }

  /// The same key with a context of its own, for another thread.
  public func copy() throws -> PseudonymKey {
    guard let duplicate = lock.withLock({ kolom_hmac_state_dup(state) }) else {
      throw StoreError.invalidSetting("OpenSSL could not copy the HMAC state")
    }
    return PseudonymKey(version: version, fingerprint: fingerprint, state: duplicate)
  }

  /// HMAC-SHA256 of `message` under the key (32 bytes).
  public func mac(_ message: [UInt8]) throws -> [UInt8] {
    try lock.withLock { try Self.mac(message, state: state) }
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
    guard let normalised = Self.normalise(clientNumber) else { return nil }
    return try? Array(mac(normalised).prefix(Self.width))
  }

  public func pseudonym(of clientNumber: String) -> [UInt8]? { pseudonym(of: Array(clientNumber.utf8)) }

  static func normalise<C: BidirectionalCollection<UInt8>>(_ text: C) -> [UInt8]? {
    var bytes = Array(text)
    while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.count
    bytes.removeFirst(start)
    guard !bytes.isEmpty, bytes.count <= 64, !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
    return bytes.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
  }

  static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
