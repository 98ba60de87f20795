// Ingest: a delivery file (CSV with a header row, or NDJSON) checked strictly against
// the schema and pseudonymised at the door. Every problem is reported as
// `FILE:LINE:COLUMN field: message`, all of them (up to a limit), never only the first;
// no message ever holds a client number. What to store is the caller's choice: all or
// nothing (the default), or the valid records with the bad ones set aside.
import Dispatch
import Foundation
import KolomFormat
import Synchronization

/// The form of a delivery file.
public enum DeliveryFormat: String, Sendable {
  case csv
  case ndjson
}

/// One problem of a delivery file.
public struct IngestProblem: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// 1-based: the field's place in a CSV row, or the character where its key starts in an NDJSON line.
  public var column: Int
  public var field: String
  public var message: String

  /// The problem as one line; control characters of the delivery (a binary file's, or
  /// an escape sequence meant for the terminal) are shown escaped, as `\x1b`.
  public var description: String { "\(file):\(line):\(column) \(Self.visible(field)): \(Self.visible(message))" }

  static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        out += String(format: "\\x%02x", scalar.value)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }
}

/// A delivery file, read and checked.
public struct IngestResult: Sendable {
  /// The valid records, pseudonymised, in the parts the file was read in (one, or two
  /// for a large file read on both cores): stored as they are, never joined.
  public var records: [RecordRows]
  /// The number of valid records.
  public var validCount: Int { records.reduce(0) { $0 + $1.count } }
  /// Every problem, in file order.
  public var problems: [IngestProblem]
  /// Records read (valid and bad).
  public var recordCount: Int
  /// Problems found; `problems` holds the first 1,000.
  public var problemCount: Int
  /// The bad records: their line, their text as delivered, and their problems.
  public var rejected: [(line: Int, text: String, problems: [IngestProblem])]
  /// The header line of a CSV file (for a reject file).
  public var header: String?
}

/// Reads delivery files for one store.
public struct Ingest {
  public let store: Store
  public let key: PseudonymKey
  let text: ValueText
  let now: Date

  /// Ingest into `store` under `key`; refused when the store's pseudonyms were made
  /// under another key.
  public init(store: Store, key: PseudonymKey) throws {
    if let stamp = store.manifest.pseudonymKey, stamp.fingerprint != key.fingerprint || stamp.version != key.version {
      throw StoreError.wrongKey(
        expected: "\(stamp.fingerprint) v\(stamp.version)", given: "\(key.fingerprint) v\(key.version)")
    }
    self.store = store
    self.key = key
    text = ValueText(schema: store.schema)
    now = store.clock.now()
  }

  /// Reads and checks `bytes`, the content of `file`.
  public func read(
    _ bytes: [UInt8], file: String, format: DeliveryFormat, progress: ((Int, Int) -> Void)? = nil
  ) throws -> IngestResult {
    try bytes.withUnsafeBufferPointer { try read($0, file: file, format: format, progress: progress) }
  }

  /// Reads and checks `bytes`, the content of `file`, where they lie (nothing of the
  /// result points into them).
  /// - Complexity: O(bytes), plus a pass over the stored keys of the years the file
  ///   touches (one per part).
  /// `progress`, when given, hears (records, bytes) read so far every 65,536 records
  /// (for a file read in two parts at once, the first part's counts twice over).
  public func read(
    _ bytes: UnsafeBufferPointer<UInt8>, file: String, format: DeliveryFormat, progress: ((Int, Int) -> Void)? = nil
  ) throws -> IngestResult {
    if format == .csv, let parts = Self.halves(bytes),
      let result = try readInParallel(bytes, parts, file: file, progress: progress)
    {
      return result
    }
    var reader = IngestReader(ingest: self, file: file, capacity: bytes.count / 250)
    reader.progress = progress
    switch format {
    case .csv: reader.readCSV(bytes)
    case .ndjson: reader.readNDJSON(bytes)
    }
    try reader.checkAgainstStore(source: bytes)
    return reader.result()
  }

  /// A large CSV file in two parts split at a line break: the byte range of each part's
  /// records (the first after the header).
  static func halves(_ b: UnsafeBufferPointer<UInt8>) -> (first: Range<Int>, second: Range<Int>)? {
    guard b.count >= 4 << 20, let headerEnd = b.firstIndex(of: 0x0A),
      let split = b[(b.count / 2)...].firstIndex(of: 0x0A)
    else { return nil }
    return ((headerEnd + 1)..<(split + 1), (split + 1)..<b.count)
  }

  /// The line breaks in `bytes`.
  static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var count = 0
    var at = base
    let end = base + bytes.count
    // memchr per line beats counting word by word: a record is a few hundred bytes.
    while at < end, let found = memchr(at, 0x0A, end - at) {
      count += 1
      at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
    }
    return count
  }

  /// Both parts on both cores, then one result (whose rows stay in their two parts): a
  /// key in both parts is a duplicate in the second, and the store check runs on the
  /// rest. nil when the file holds a quote: it is then read in one part.
  private func readInParallel(
    _ bytes: UnsafeBufferPointer<UInt8>, _ parts: (first: Range<Int>, second: Range<Int>), file: String,
    progress: ((Int, Int) -> Void)?
  ) throws -> IngestResult? {
    let boxes = [
      ReaderBox(IngestReader(ingest: self, file: file, capacity: parts.first.count / 250)),
      ReaderBox(IngestReader(ingest: self, file: file, capacity: parts.second.count / 250)),
    ]
    boxes[0].reader!.progress = progress.map { report in { records, bytes in report(2 * records, 2 * bytes) } }
    // Both threads only read the bytes, and only while this call lasts.
    nonisolated(unsafe) let shared = bytes
    let quoteFree = Mutex([true, true])
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      // The second part's lines are numbered on from the first's.
      if i == 1 {
        boxes[1].reader!.lineOffset = Self.lineBreaks(in: UnsafeBufferPointer(rebasing: shared[parts.first]))
      }
      let read = boxes[i].reader!.readQuoteFreeCSV(shared, records: i == 0 ? parts.first : parts.second)
      quoteFree.withLock { $0[i] = read }
    }
    guard quoteFree.withLock({ $0 == [true, true] }) else { return nil }
    var (first, second) = (boxes[0].reader.take()!, boxes[1].reader.take()!)
    second.dropHeaderProblems()
    second.rejectDuplicates(of: first, source: bytes)
    try first.checkAgainstStore(source: bytes)
    try second.checkAgainstStore(source: bytes)
    var result = first.result()
    result.append(second.result())
    return result
  }

  /// Stores `result`'s valid records in one commit (stamping the store with the key
  /// on its first ingest). Returns what was stored per year.
  @discardableResult
  public func store(_ result: IngestResult, request: String?) throws -> AppendResult {
    if store.manifest.pseudonymKey == nil {
      try store.stampKey(KeyStamp(version: key.version, fingerprint: key.fingerprint))
    }
    guard result.validCount > 0 else { return AppendResult(recordsPerYear: [:], filesCreated: 0) }
    return try store.append(result.records, change: Change("ingest", request: request))
  }
}

/// A reader shared with a worker thread (each thread has its own).
private final class ReaderBox: @unchecked Sendable {
  var reader: IngestReader?
  init(_ reader: IngestReader) { self.reader = reader }
}

extension IngestResult {
  /// Appends `other`, the result of a later part of the same file.
  mutating func append(_ other: IngestResult) {
    records += other.records
    problems = Array((problems + other.problems).prefix(1_000))
    recordCount += other.recordCount
    problemCount += other.problemCount
    rejected += other.rejected
  }
}
