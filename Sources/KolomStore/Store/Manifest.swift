// The manifest: the store's complete state at one commit (schema, retention, and per
// year the segment files with their sizes and checksums), as auditable JSON.
// format-spec/dataset.md describes every field.
import Foundation
import KolomFormat

/// One segment file of a year partition.
public struct SegmentFile: Codable, Sendable, Equatable {
  /// File name inside `data/<year>/`.
  public var name: String
  public var rows: Int
  public var bytes: Int
  /// XXH3-64 of the file's footer, as 16 hex digits (also in the file's trailer).
  public var footerChecksum: String
  /// Earliest and latest record date in the file.
  public var minDate: String
  public var maxDate: String

  enum CodingKeys: String, CodingKey {
    case name, rows, bytes
    case footerChecksum = "footer_checksum"
    case minDate = "min_date"
    case maxDate = "max_date"
  }
}

/// The segment files of one year.
public struct YearPartition: Codable, Sendable, Equatable {
  public var year: Int
  public var files: [SegmentFile]

  /// Records in the year.
  public var rows: Int { files.reduce(0) { $0 + $1.rows } }
  /// Bytes of the year's files.
  public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }
}

/// Names a pseudonymisation key without revealing it.
public struct KeyStamp: Codable, Sendable, Equatable {
  public var version: Int
  public var fingerprint: String
}

/// The live state of a store.
public struct Manifest: Codable, Sendable, Equatable {
  /// The manifest format: 2 since restriction, pending erasures and the change log, so
  /// that a kolom that knows only format 1 (and would not leave restricted clients out)
  /// refuses the store. Format 1 manifests are read and rewritten as 2.
  public var format = 2
  /// A random identity of the store, fixed at creation.
  public var storeID: String
  /// Number of this commit; manifest file `manifest/<sequence>.json`.
  public var sequence: Int
  /// The next number for a new file name.
  public var nextFile: Int
  /// Years kept (R): year Y is expired from 1 January Y + R, Europe/Amsterdam.
  public var retentionYears: Int
  /// The wall-clock instant of the last retention sweep; a sweep refuses an earlier clock.
  public var lastSweep: String?
  /// The schema's files, verbatim.
  public var schema: SchemaFiles
  /// Live year partitions, ascending.
  public var years: [YearPartition]
  /// The key the store's pseudonyms were made with (version and fingerprint, never the
  /// key); set by the first ingest.
  public var pseudonymKey: KeyStamp?
  /// Pseudonyms (hex) of restricted clients: kept, exported, but left out of every analysis.
  public var restricted: [String]?
  /// Pseudonyms (hex) whose erasure is committed but not yet carried out; an open of
  /// the writer completes it. Analyses leave them out meanwhile.
  public var pendingErasure: [PendingErasure]?
  /// The change log's anchor.
  public var changeLog: ChangeLogHead?

  enum CodingKeys: String, CodingKey {
    case format, sequence, schema, years, restricted
    case pseudonymKey = "pseudonym_key"
    case pendingErasure = "pending_erasure"
    case changeLog = "change_log"
    case storeID = "store_id"
    case nextFile = "next_file"
    case retentionYears = "retention_years"
    case lastSweep = "last_sweep"
  }

  /// The bytes of the manifest file.
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return [UInt8](try! encoder.encode(self))
  }

  /// Parses a manifest file.
  static func decode(_ bytes: [UInt8], path: String) throws -> Manifest {
    let decoder = JSONDecoder()
    do {
      let manifest = try decoder.decode(Manifest.self, from: Data(bytes))
      guard (1...2).contains(manifest.format) else {
        throw StoreError.corrupt(path: path, detail: "manifest format \(manifest.format) is newer than this kolom")
      }
      var current = manifest
      current.format = 2
      return current
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError.corrupt(path: path, detail: "manifest does not parse: \(error)")
    }
  }

  /// The partition of `year`, if live.
  public func partition(_ year: Int) -> YearPartition? { years.first { $0.year == year } }

  /// Replaces (or adds, or with no files removes) the partition of `year`.
  mutating func setFiles(_ files: [SegmentFile], year: Int) {
    years.removeAll { $0.year == year }
    if !files.isEmpty { years.append(YearPartition(year: year, files: files)) }
    years.sort { $0.year < $1.year }
  }
}

/// Every file name of a store (DESIGN.md, "Dataset on disk"); nothing else names files.
struct StoreLayout: Sendable {
  let root: String

  var lock: String { Paths.join(root, "LOCK") }
  var current: String { Paths.join(root, "CURRENT") }
  var manifests: String { Paths.join(root, "manifest") }
  var data: String { Paths.join(root, "data") }
  var temporary: String { Paths.join(root, "tmp") }
  var log: String { Paths.join(root, "log") }

  func logEntry(_ number: Int) -> String { Paths.join(log, StoreLayout.number(number) + ".json") }
  func manifest(_ sequence: Int) -> String { Paths.join(manifests, StoreLayout.number(sequence) + ".json") }
  func year(_ year: Int) -> String { Paths.join(data, String(year)) }
  func segment(_ name: String, year: Int) -> String { Paths.join(self.year(year), name) }
  func temporary(_ name: String) -> String { Paths.join(temporary, name) }

  static func number(_ n: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
  }

  static func segmentName(_ n: Int) -> String { number(n) + ".kol" }

  /// CURRENT's content: the manifest's name and the XXH3-64 of its bytes.
  static func currentLine(sequence: Int, manifest: [UInt8]) -> [UInt8] {
    Array("manifest/\(number(sequence)).json \(hex(Checksum.xxh3(manifest)))\n".utf8)
  }

  static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
