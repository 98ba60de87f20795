// The keys of the records read so far (client, phase and record date), for duplicates:
// an open-addressing table of record numbers. A pseudonym is an HMAC, so its first
// bytes are already a good hash; the table stores no key, only where to find it.

/// A record's key: its pseudonym and two more key columns (phase, record date).
struct RecordKey: Equatable {
  /// The pseudonym's bytes 0..<8 and 8..<16, little-endian.
  var low: UInt64
  var high: UInt64
  var first: Int64
  var second: Int64

  /// The key of a pseudonym at `id` (16 bytes) and two key values.
  init(id: UnsafeRawPointer, _ first: Int64, _ second: Int64) {
    low = id.loadUnaligned(as: UInt64.self)
    high = id.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    (self.first, self.second) = (first, second)
  }

  /// Where the key's probe starts: from the pseudonym alone, so that the records of one
  /// client (side by side in a delivery) land in one cache line rather than in three.
  var hash: Int { Int(truncatingIfNeeded: low) }
}

/// The records of a `RecordRows` by key, each key once.
struct RecordKeyTable {
  /// Schema columns of the two key values besides the pseudonym.
  let columns: (Int, Int)
  /// Record numbers, -1 where empty.
  private var slots: [Int32]
  private var count = 0

  init(columns: (Int, Int), capacity: Int = 0) {
    self.columns = columns
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
  }

  /// The key of record `row` of `rows`.
  func key(_ row: Int, of rows: RecordRows) -> RecordKey {
    rows.ids.withUnsafeBytes { ids in
      RecordKey(
        id: ids.baseAddress! + row * rows.idWidth, rows.value(row, columns.0) ?? 0, rows.value(row, columns.1) ?? 0)
    }
  }

  /// The record of `rows` with `key`, if the table holds one.
  func find(_ key: RecordKey, in rows: RecordRows) -> Int? { probe(key, in: rows).row }

  /// Adds record `row` of `rows`, unless a record with its key is there: then that
  /// record's number, and nothing is added.
  mutating func insert(_ row: Int, of rows: RecordRows) -> Int? {
    precondition(row < Int(Int32.max), "record \(row) beyond the table's reach")
    if (count + 1) * 2 > slots.count { grow(rows) }
    let (slot, existing) = probe(key(row, of: rows), in: rows)
    if let existing { return existing }
    slots[slot] = Int32(row)
    count += 1
    return nil
  }

  /// The slot of the record with `key`, and that record; or the empty slot where it would go.
  private func probe(_ key: RecordKey, in rows: RecordRows) -> (slot: Int, row: Int?) {
    let mask = slots.count - 1
    var i = key.hash & mask
    while slots[i] >= 0 {
      let row = Int(slots[i])
      if self.key(row, of: rows) == key { return (i, row) }
      i = (i + 1) & mask
    }
    return (i, nil)
  }

  private mutating func grow(_ rows: RecordRows) {
    let old = slots.filter { $0 >= 0 }
    slots = [Int32](repeating: -1, count: slots.count * 2)
    count = 0
    let mask = slots.count - 1
    for row in old {
      var i = key(Int(row), of: rows).hash & mask
      while slots[i] >= 0 { i = (i + 1) & mask }
      slots[i] = row
      count += 1
    }
  }
}
