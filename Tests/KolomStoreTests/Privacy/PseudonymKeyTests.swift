// The pseudonymisation key: HMAC-SHA256 against RFC 4231's vectors, the 16-byte
// truncation and normalisation, and the key file's rules (mode 0600, never inside the
// store, never overwritten).
import Foundation
import Synchronization
import Testing

@testable import KolomStore

@Suite struct PseudonymKeyTests {
  @Test func hmacMatchesRFC4231() throws {
    // Test case 2: key "Jefe".
    let jefe = try PseudonymKey(version: 1, key: Array("Jefe".utf8))
    #expect(
      PseudonymKey.hex(try jefe.mac(Array("what do ya want for nothing?".utf8)))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    // Test case 1: 20 bytes of 0x0b, "Hi There"; the context is reused across calls.
    let elevens = try PseudonymKey(version: 1, key: [UInt8](repeating: 0x0b, count: 20))
    for _ in 0..<3 {
      #expect(
        PseudonymKey.hex(try elevens.mac(Array("Hi There".utf8)))
          == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }
  }

  @Test func hmacWithAKeyLongerThanTheBlockMatchesRFC4231() throws {
    // Test case 6: 131 bytes of 0xaa are hashed first; and threads sharing the key agree.
    let long = try PseudonymKey(version: 1, key: [UInt8](repeating: 0xaa, count: 131))
    let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
    let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    #expect(PseudonymKey.hex(try long.mac(message)) == expected)
    let results = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<1_000 {
        let mac = PseudonymKey.hex((try? long.mac(message)) ?? [])
        results.withLock { $0.append(mac) }
      }
    }
    #expect(results.withLock { $0.count == 8_000 && $0.allSatisfy { $0 == expected } })
  }

  @Test func aPseudonymIsTheTruncatedHMACOfTheNormalisedNumber() throws {
    let key = testKey()
    let pseudonym = try #require(key.pseudonym(of: "JZ13-000000000042"))
    #expect(pseudonym.count == 16)
    #expect(pseudonym == Array(try key.mac(Array("JZ13-000000000042".utf8)).prefix(16)))
    #expect(key.pseudonym(of: "  jz13-000000000042\t") == pseudonym)
    #expect(key.pseudonym(of: "JZ13-000000000043") != pseudonym)
    #expect(testKey(8).pseudonym(of: "JZ13-000000000042") != pseudonym)
    #expect(key.pseudonym(of: "") == nil)
    #expect(key.pseudonym(of: "A\u{1}B") == nil)
    #expect(key.pseudonym(of: String(repeating: "9", count: 65)) == nil)
  }

  @Test func theFingerprintNamesTheKeyWithoutRevealingIt() {
    #expect(testKey().fingerprint == testKey().fingerprint)
    #expect(testKey().fingerprint != testKey(8).fingerprint)
    #expect(testKey().fingerprint.count == 16)
    #expect(!PseudonymKey.hex([UInt8](repeating: 7, count: 32)).contains(testKey().fingerprint))
  }

  @Test func keygenWritesAPrivateFileAndLoadChecksIt() throws {
    let directory = NSTemporaryDirectory() + "kolom-key-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory + "/store", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/key"
    let written = try PseudonymKey.generate(to: path, version: 3)
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
    #expect(mode == 0o600)
    let loaded = try PseudonymKey.load(from: path, store: directory + "/store")
    #expect(loaded.version == 3 && loaded.fingerprint == written.fingerprint)
    #expect(loaded.pseudonym(of: "X1") == written.pseudonym(of: "X1"))

    #expect(throws: StoreError.self) { try PseudonymKey.generate(to: path) }  // never overwritten
    chmod(path, 0o644)
    #expect(throws: StoreError.invalidKey(path: path, detail: "others may read it (mode 644); chmod 600 it")) {
      try PseudonymKey.load(from: path)
    }
    let inside = directory + "/store/key"
    try PseudonymKey.generate(to: inside)
    #expect(
      throws: StoreError.invalidKey(
        path: inside, detail: "it is inside the store; a key must be kept apart from the data")
    ) { try PseudonymKey.load(from: inside, store: directory + "/store") }
  }

  @Test func ingestWithAnotherKeyIsRefused() throws {
    let store = try makeStore(InMemoryFileSystem())
    try ingest(deliveryCSV(20).text, into: store)
    #expect(store.manifest.pseudonymKey == KeyStamp(version: 1, fingerprint: testKey().fingerprint))
    #expect(throws: StoreError.self) { try Ingest(store: store, key: testKey(8)) }
    #expect(throws: StoreError.self) { try Ingest(store: store, key: testKey(7, version: 2)) }
  }
}
