// CaseNumbers: a dense number for every pseudonym the queries of an open database
// have met, and per row group the number of each row's pseudonym, kept while the
// database is open. Segments never change, so nothing goes stale. With numbers,
// count(DISTINCT clientnummer) marks bits instead of hashing 16-byte values, and a
// query for one client reads only the row groups that hold it.
import KolomFormat
import Synchronization

/// Dense case numbers for the pseudonyms of a store's segments.
public final class CaseNumbers: Sendable {
  /// Pseudonyms are spread over shards by hash, each with its own lock, so that both
  /// cores can number at once; shard s hands out s, s + shards, s + 2·shards, ….
  private let shards = (0..<CaseNumbers.shardCount).map { _ in Shard() }
  private let rowGroups = Mutex<[RowGroupKey: RowGroupCases]>([:])
  private static let shardBits = 4
  private static let shardCount = 1 << shardBits

  public init() {}

  /// The numbers of row group `group` of `file`'s pseudonym column `physical`, numbering
  /// its pseudonyms on first use.
  func rowGroup(_ file: ScanFile, group: Int, physical: Int) throws -> RowGroupCases {
    let key = RowGroupKey(year: file.year, name: file.name, group: group, physical: physical)
    if let known = rowGroups.withLock({ $0[key] }) { return known }
    let rows = file.reader.footer.rowGroups[group].rowCount
    guard let c = file.columns[physical] else {
      return RowGroupCases(numbers: [UInt32](repeating: RowGroupCases.null, count: rows), present: [])
    }
    let data: ColumnData
    do {
      data = try file.reader.read(rowGroup: group, column: c)
    } catch let error as FormatError {
      throw QueryError.storage("\(file.year)/\(file.name): \(error)")
    }
    guard case .bytes(let bytes, let width) = data.values, width <= 16 else {
      preconditionFailure("case numbers of a column that is not a pseudonym")
    }
    let words = PseudonymWords.split(bytes, width: width)
    // A case's records lie side by side: number each run of one pseudonym once.
    var runStarts: [Int] = []
    var runHashes: [UInt64] = []
    var bySlice = [[Int]](repeating: [], count: CaseNumbers.shardCount)
    for r in 0..<rows where data.validity?[r] != false {
      if let last = runStarts.last, words[2 * last] == words[2 * r], words[2 * last + 1] == words[2 * r + 1] {
        continue  // NULL rows between are skipped, and keep no number
      }
      let hash = PseudonymTable.hash(words[2 * r], words[2 * r + 1])
      bySlice[Int(hash >> UInt64(64 - CaseNumbers.shardBits))].append(runStarts.count)
      runStarts.append(r)
      runHashes.append(hash)
    }
    var runNumbers = [UInt32](repeating: 0, count: runStarts.count)
    let first = group % CaseNumbers.shardCount  // workers start on different shards
    for step in 0..<CaseNumbers.shardCount {
      let s = (first + step) % CaseNumbers.shardCount
      guard !bySlice[s].isEmpty else { continue }
      shards[s].table.withLock { table in
        for run in bySlice[s] {
          let r = runStarts[run]
          let local = table.number(words[2 * r], words[2 * r + 1], hash: runHashes[run])
          runNumbers[run] = local << UInt32(CaseNumbers.shardBits) | UInt32(s)
        }
      }
    }
    var numbers = [UInt32](repeating: RowGroupCases.null, count: rows)
    for (run, start) in runStarts.enumerated() {
      let end = run + 1 < runStarts.count ? runStarts[run + 1] : rows
      for r in start..<end where data.validity?[r] != false { numbers[r] = runNumbers[run] }
    }
    var present = runNumbers.sorted()
    var kept = 0
    for n in present where kept == 0 || present[kept - 1] != n {
      present[kept] = n
      kept += 1
    }
    present.removeLast(present.count - kept)
    let cases = RowGroupCases(numbers: numbers, present: present)
    return rowGroups.withLock { known in
      if let earlier = known[key] { return earlier }
      known[key] = cases
      return cases
    }
  }

  /// The number of `pseudonym`, if any row group numbered so far holds it.
  func number(of pseudonym: [UInt8]) -> UInt32? {
    let words = PseudonymWords.split(pseudonym, width: pseudonym.count)
    let hash = PseudonymTable.hash(words[0], words[1])
    let s = Int(hash >> UInt64(64 - CaseNumbers.shardBits))
    return shards[s].table.withLock { $0.find(words[0], words[1], hash: hash) }.map {
      $0 << UInt32(CaseNumbers.shardBits) | UInt32(s)
    }
  }

  private final class Shard: Sendable {
    let table = Mutex(PseudonymTable())
  }
}

/// One row group of one segment's pseudonym column.
private struct RowGroupKey: Hashable {
  let year: Int
  let name: String
  let group: Int
  let physical: Int
}

/// The case numbers of one row group.
struct RowGroupCases: Sendable {
  /// The number of each row's pseudonym (`null` where it is NULL).
  let numbers: [UInt32]
  /// The distinct numbers of the row group, ascending.
  let present: [UInt32]

  static let null = UInt32.max

  /// Whether a row of the row group has case number `number`.
  func contains(_ number: UInt32) -> Bool {
    var low = 0
    var high = present.count
    while low < high {
      let mid = (low + high) / 2
      if present[mid] < number { low = mid + 1 } else { high = mid }
    }
    return low < present.count && present[low] == number
  }
}

/// Pseudonyms as two big-endian words (zero-padded to 16 bytes).
enum PseudonymWords {
  static func split(_ bytes: [UInt8], width: Int) -> [UInt64] {
    let rows = width == 0 ? 0 : bytes.count / width
    var words = [UInt64](repeating: 0, count: 2 * rows)
    bytes.withUnsafeBufferPointer { raw in
      for r in 0..<rows {
        var a: UInt64 = 0
        var b: UInt64 = 0
        for i in 0..<width {
          let byte = UInt64(raw[r * width + i])
          if i < 8 { a |= byte << UInt64(56 - 8 * i) } else { b |= byte << UInt64(56 - 8 * (i - 8)) }
        }
        words[2 * r] = a
        words[2 * r + 1] = b
      }
    }
    return words
  }
}

/// Pseudonym → dense number: open addressing, the pseudonyms kept once in number
/// order. A slot holds the hash's low 32 bits and the number + 1, so a probe reads the
/// pseudonym only when the hash matches.
struct PseudonymTable: Sendable {
  private var slots = [UInt64](repeating: 0, count: 1 << 10)
  private var words: [UInt64] = []
  private(set) var count = 0

  mutating func number(_ a: UInt64, _ b: UInt64, hash: UInt64) -> UInt32 {
    if let n = find(a, b, hash: hash) { return n }
    let n = UInt32(count)
    insert(n, hash: hash)
    words.append(a)
    words.append(b)
    count += 1
    if count * 10 > slots.count * 7 { grow() }
    return n
  }

  func find(_ a: UInt64, _ b: UInt64, hash: UInt64) -> UInt32? {
    let mask = slots.count - 1
    let tag = hash & 0xFFFF_FFFF
    var slot = Int(truncatingIfNeeded: hash >> 20) & mask
    while slots[slot] != 0 {
      let entry = slots[slot]
      if entry >> 32 == tag {
        let n = Int(entry & 0xFFFF_FFFF) - 1
        if words[2 * n] == a && words[2 * n + 1] == b { return UInt32(n) }
      }
      slot = (slot + 1) & mask
    }
    return nil
  }

  private mutating func insert(_ n: UInt32, hash: UInt64) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash >> 20) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = (hash & 0xFFFF_FFFF) << 32 | UInt64(n + 1)
  }

  private mutating func grow() {
    slots = [UInt64](repeating: 0, count: slots.count * 2)
    for n in 0..<count { insert(UInt32(n), hash: PseudonymTable.hash(words[2 * n], words[2 * n + 1])) }
  }

  /// Generated pseudonyms are random, but a hand-made one need not be: mix both words.
  /// The top bits choose the shard, bits 20… the slot, the low 32 bits are the tag.
  @inline(__always)
  static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var z = a ^ (b &* 0x9E37_79B9_7F4A_7C15)
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E659
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
