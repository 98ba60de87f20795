// The data subject's rights (retention-erasure.md §2.3): access (the records of one
// pseudonym), erasure and rectification by synchronous copy-on-write rewrite of the
// segments that hold the client (write, commit, unlink, fsync the directory: the bytes
// are gone when the call returns), and restriction as a set of pseudonyms in the
// manifest that every analysis leaves out. Each is one commit and one log entry.
import Foundation
import KolomFormat

/// A pending erasure: committed as an intent, carried out by the same call or, after a
/// crash, by the next open of the writer.
public struct PendingErasure: Codable, Sendable, Equatable {
  /// The pseudonym, hex.
  public var pseudonym: String
  public var request: String
}

/// What a subject operation changed.
public struct SubjectChange: Sendable, Equatable {
  /// Records of the client per year before and after.
  public var recordsBefore: [Int: Int]
  public var recordsAfter: [Int: Int]
}

extension Store {
  /// Every live record of `pseudonym`, restricted or not, by record date.
  /// - Complexity: O(records of the store) to find them (the pseudonym column of every segment).
  public func records(of pseudonym: [UInt8]) throws -> RecordBatch {
    let snapshot = try snapshot()
    var parts: [RecordBatch] = []
    for (_, readers) in snapshot.segments {
      for reader in readers {
        let rows = try rows(of: pseudonym, in: reader)
        if !rows.isEmpty { parts.append(try RecordBatch(schema: schema, segment: reader).permuted(rows)) }
      }
    }
    let all = RecordBatch.concatenate(parts, schema: schema)
    guard case .integers(let dates)? = all.physicalValues(schema.partitionColumn),
      case .integers(let phases)? = all.physicalValues("fase")
    else { return all }
    return all.permuted(Array(0..<all.count).sorted { (dates[$0], phases[$0]) < (dates[$1], phases[$1]) })
  }

  /// The rows of `reader`'s segment that hold `pseudonym`, from its pseudonym column alone
  /// (the other columns are decoded only for a segment that holds the client).
  private func rows(of pseudonym: [UInt8], in reader: SegmentReader) throws -> [Int] {
    guard let column = schema.columns.firstIndex(where: { if case .id = $0.type { true } else { false } }),
      case .single(let p) = schema.physical.layouts[column], let data = try read(physical: p, of: reader),
      case .bytes(let ids, let width) = data.values, width == pseudonym.count
    else { return [] }
    return ids.withUnsafeBufferPointer { ids in
      pseudonym.withUnsafeBufferPointer { wanted in
        (0..<data.count).filter { row in
          data.validity?[row] != false && memcmp(ids.baseAddress! + row * width, wanted.baseAddress!, width) == 0
        }
      }
    }
  }

  /// The schema's physical column `p` as `reader`'s segment holds it (matched by field id
  /// and kind); nil when the segment lacks it.
  func read(physical p: Int, of reader: SegmentReader) throws -> ColumnData? {
    let wanted = schema.physical.columns[p]
    guard let c = reader.footer.columns.firstIndex(where: { $0.fieldID == wanted.fieldID && $0.kind == wanted.kind })
    else { return nil }
    return try reader.readColumn(c)
  }

  /// Whether `pseudonym` is restricted.
  public func isRestricted(_ pseudonym: [UInt8]) -> Bool {
    (manifest.restricted ?? []).contains(PseudonymKey.hex(pseudonym))
  }

  /// Erases every record of `pseudonym`: commits the intent, rewrites each segment that
  /// holds the client without its records, commits, and removes the old files. Idempotent.
  @discardableResult
  public func erase(_ pseudonym: [UInt8], request: String) throws -> SubjectChange {
    try writerOperation {
      let hex = PseudonymKey.hex(pseudonym)
      if !(manifest.pendingErasure ?? []).contains(where: { $0.pseudonym == hex }) {
        var next = manifest
        next.pendingErasure = (next.pendingErasure ?? []) + [PendingErasure(pseudonym: hex, request: request)]
        next.sequence += 1
        try commit(next, Change("erase-requested", request: request))
      }
      return try carryOutErasure(hex)
    }
  }

  /// Carries out every erasure committed but not done (on open of the writer).
  func completePendingErasures() throws {
    for pending in manifest.pendingErasure ?? [] {
      try writerOperation { _ = try carryOutErasure(pending.pseudonym) }
    }
  }

  private func carryOutErasure(_ hex: String) throws -> SubjectChange {
    guard let pseudonym = PseudonymKey.bytes(hex: hex),
      let pending = manifest.pendingErasure?.first(where: { $0.pseudonym == hex })
    else { throw StoreError.corrupt(path: layout.current, detail: "a pending erasure names no pseudonym") }
    var next = manifest
    let change = try rewrite(holding: pseudonym, in: &next) { _ in nil }
    next.pendingErasure = next.pendingErasure?.filter { $0.pseudonym != hex }
    next.restricted = next.restricted?.filter { $0 != hex }
    next.sequence += 1
    try commit(next, Change("erase", request: pending.request))
    try removeOrphans()
    return change
  }

  /// Rectifies every record of `pseudonym`: `correct` gets each record's values (by
  /// schema column) and returns them corrected. A changed record date moves a record
  /// to its year; all years change in one commit. `columns` names what changed, for the log.
  @discardableResult
  public func rectify(
    _ pseudonym: [UInt8], request: String, columns: [String], correct: ([FieldValue?]) throws -> [FieldValue?]
  ) throws -> SubjectChange {
    try writerOperation {
      var next = manifest
      let change = try rewrite(holding: pseudonym, in: &next) { records in
        var builder = RecordBatchBuilder(schema: schema, capacity: records.count)
        let now = clock.now()
        let rules = RecordRules(schema: schema, today: Retention.today(at: now), retention: retention)
        let dateColumn = schema.index(of: schema.partitionColumn)!
        for row in 0..<records.count {
          let values = try correct(records.record(at: row))
          for (c, column) in schema.columns.enumerated() where values[c] == nil && !column.isNullable {
            throw StoreError.invalidRecord("\(column.name): a value is required")
          }
          guard case .int(let day)? = values[dateColumn] else { continue }
          let expired = retention.isExpired(year: CivilDate.year(ofDays: day), at: now)
          if let (c, message) = rules.check(values, expired: expired).first {
            throw StoreError.invalidRecord("\(schema.columns[c].name): \(message)")
          }
          builder.append(values)
        }
        return builder.build()
      }
      guard change.recordsBefore.values.reduce(0, +) > 0 else { throw StoreError.noSuchClient }
      next.sequence += 1
      try commit(next, Change("rectify", request: request, columns: columns))
      try removeOrphans()
      return change
    }
  }

  /// Restricts (or, with `restricted` false, lifts the restriction of) `pseudonym`.
  public func restrict(_ pseudonym: [UInt8], request: String, restricted: Bool = true) throws {
    try writerOperation {
      let hex = PseudonymKey.hex(pseudonym)
      var set = Set(manifest.restricted ?? [])
      guard restricted != set.contains(hex) else { return }
      if restricted {
        guard try records(of: pseudonym).count > 0 else { throw StoreError.noSuchClient }
        set.insert(hex)
      } else {
        set.remove(hex)
      }
      var next = manifest
      next.restricted = set.isEmpty ? nil : set.sorted()
      next.sequence += 1
      try commit(next, Change(restricted ? "restrict" : "unrestrict", request: request))
    }
  }

  /// Rewrites, into `next`, every segment that holds `pseudonym`: one new segment per
  /// year of the other records of those segments plus `replacement` of the client's
  /// records (nil: none), each in the year of its own date. Writes the files; commits nothing.
  private func rewrite(
    holding pseudonym: [UInt8], in next: inout Manifest, replacement: (RecordBatch) throws -> RecordBatch?
  ) throws -> SubjectChange {
    var change = SubjectChange(recordsBefore: [:], recordsAfter: [:])
    var kept: [Int: [RecordBatch]] = [:]
    var replaced: [Int: Set<String>] = [:]
    var clientRecords: [RecordBatch] = []
    for partition in next.years {
      for file in partition.files {
        let reader = try SegmentReader(fileSystem.openSegment(layout.segment(file.name, year: partition.year)))
        let rows = try rows(of: pseudonym, in: reader)
        guard !rows.isEmpty else { continue }
        let batch = try RecordBatch(schema: schema, segment: reader)
        let hit = Set(rows)
        change.recordsBefore[partition.year, default: 0] += rows.count
        clientRecords.append(batch.permuted(rows))
        kept[partition.year, default: []].append(batch.permuted((0..<batch.count).filter { !hit.contains($0) }))
        replaced[partition.year, default: []].insert(file.name)
      }
    }
    guard !clientRecords.isEmpty else { return change }
    // The corrected records come before any file is written: a refusal leaves no trace.
    if let corrected = try replacement(RecordBatch.concatenate(clientRecords, schema: schema)) {
      for (year, records) in corrected.splitByYear() {
        kept[year, default: []].append(records)
        change.recordsAfter[year] = records.count
      }
    }
    for year in Set(kept.keys).union(replaced.keys).sorted() {
      let records = RecordBatch.concatenate(kept[year] ?? [], schema: schema)
      var files = (next.partition(year)?.files ?? []).filter { !(replaced[year] ?? []).contains($0.name) }
      if records.count > 0 {
        let sorted = records.inSegmentOrder()
        files.append(
          try writeSegment(
            sorted.encodedSegment(options: writerOptions(level: options.compactionLevel)), rows: sorted.count,
            dates: sorted.dateRange(of: schema.partitionColumn), year: year, in: &next))
      }
      next.setFiles(files, year: year)
    }
    return change
  }
}

extension RecordBatch {
  /// Record `row` as schema values (nil for null).
  public func record(at row: Int) -> [FieldValue?] {
    schema.columns.indices.map { c in
      switch schema.physical.layouts[c] {
      case .single(let p):
        let data = columns[p]
        if data.isNull(row) { return nil }
        switch data.values {
        case .integers(let v): return .int(v[row])
        case .bytes(let b, let width): return .bytes(Array(b[(row * width)..<((row + 1) * width)]))
        case .booleans(let bits): return .int(bits[row] ? 1 : 0)
        }
      case .flags(let first, let count, let presence):
        if let presence, case .booleans(let present) = columns[presence].values, !present[row] { return nil }
        var mask: UInt64 = 0
        for f in 0..<count {
          if case .booleans(let bits) = columns[first + f].values, bits[row] { mask |= 1 << UInt64(f) }
        }
        return .flags(mask)
      }
    }
  }
}

extension Store {
  /// Records the key of the store's pseudonyms (its first ingest), in a commit of its own.
  func stampKey(_ stamp: KeyStamp) throws {
    try writerOperation {
      var next = manifest
      next.pseudonymKey = stamp
      next.sequence += 1
      try commit(
        next, Change("key", detail: "pseudonym key version \(stamp.version), fingerprint \(stamp.fingerprint)"))
    }
  }

  /// Calls `body` with the key (pseudonym, phase, date) of every live record of `years`:
  /// one pass over three columns of those years' segments.
  func forEachKey(inYears years: Set<Int>, columns: (id: Int, first: Int, second: Int), _ body: (RecordKey) -> Void)
    throws
  {
    let layouts = schema.physical.layouts
    guard case .single(let id) = layouts[columns.id], case .single(let first) = layouts[columns.first],
      case .single(let second) = layouts[columns.second]
    else { return }
    for (_, readers) in try snapshot().segments.filter({ years.contains($0.year) }) {
      for reader in readers {
        guard case .bytes(let ids, let width)? = try read(physical: id, of: reader)?.values,
          case .integers(let a)? = try read(physical: first, of: reader)?.values,
          case .integers(let b)? = try read(physical: second, of: reader)?.values, width == PseudonymKey.width
        else { continue }
        ids.withUnsafeBytes { ids in
          for row in 0..<a.count { body(RecordKey(id: ids.baseAddress! + row * width, a[row], b[row])) }
        }
      }
    }
  }
}
