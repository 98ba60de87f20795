// The store's basic promises: records land in their year, survive reopening, one
// writer at a time, readers see whole commits, compaction keeps every record.
import Foundation
import KolomFormat
import Testing

@testable import KolomStore

@Suite struct StoreTests {
  @Test func appendedRecordsLandInTheirYearAndSurviveReopening() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs)
    let batch = records(3_000, today: CivilDate(year: 2026, month: 6, day: 1))
    let result = try store.append(batch)
    #expect(result.recordsPerYear.values.reduce(0, +) == 3_000)
    #expect(result.filesCreated == result.recordsPerYear.count)
    store.close()
    let reopened = try openStore(fs)
    #expect(try fingerprint(reopened) == fingerprint(batch))
    for partition in reopened.manifest.years {
      let dates = try reopened.snapshot().records(year: partition.year)
      if case .integers(let days)? = dates.physicalValues("datum") {
        #expect(days.allSatisfy { CivilDate.year(ofDays: $0) == partition.year })
      }
    }
    #expect(reopened.verify().isClean)
  }

  @Test func aSecondWriterIsToldWhoHoldsTheLock() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs)
    #expect { try openStore(fs) } throws: { ($0 as? StoreError).map { "\($0)".contains("locked by pid") } ?? false }
    let reader = try openStore(fs, mode: .reader)
    #expect(try reader.snapshot().recordCount == 0)
    store.close()
    _ = try openStore(fs)
  }

  @Test func readersKeepTheirSnapshotWhileTheWriterAppendsAndCompacts() throws {
    let fs = InMemoryFileSystem()
    let writer = try makeStore(fs)
    let first = records(500, inYear: 2025, seed: 1)
    try writer.append(first)
    let reader = try openStore(fs, mode: .reader)
    let before = try reader.snapshot()
    try writer.append(records(500, inYear: 2025, seed: 2))
    try writer.compact()
    #expect(writer.manifest.partition(2025)?.files.count == 1)
    #expect(fingerprint(try before.records()) == fingerprint(first))
    #expect(try reader.snapshot().recordCount == 1_000)
  }

  @Test func compactionKeepsEveryRecordInOneFilePerYear() throws {
    let fs = InMemoryFileSystem()
    var options = StoreOptions()
    options.maxSegmentsPerYear = 1_000
    let store = try makeStore(fs, options: options)
    var all: [String] = []
    for seed in 1...5 {
      let batch = records(200, inYear: 2024, seed: UInt64(seed))
      all += fingerprint(batch)
      try store.append(batch)
    }
    #expect(store.manifest.partition(2024)?.files.count == 5)
    #expect(try store.compact() == [2024])
    #expect(store.manifest.partition(2024)?.files.count == 1)
    #expect(try fingerprint(store) == all.sorted())
    #expect(store.verify().isClean)
    #expect(try fs.listDirectory("/store/data/2024").count == 1)
  }

  @Test func manySmallAppendsAreCompactedAutomatically() throws {
    let fs = InMemoryFileSystem()
    var options = StoreOptions()
    options.maxSegmentsPerYear = 4
    let store = try makeStore(fs, options: options)
    let batch = records(60, inYear: 2025)
    for row in 0..<batch.count { try store.append(batch.permuted([row])) }
    #expect(store.manifest.partition(2025)!.files.count <= 4)
    #expect(try fingerprint(store) == fingerprint(batch))
    #expect(store.maintenanceError == nil)
  }

  @Test func automaticCompactionCopiesLargeRowGroupsAndReencodesSmallOnes() throws {
    let fs = InMemoryFileSystem()
    var options = StoreOptions()
    options.maxSegmentsPerYear = 2
    options.copyableRowGroupRows = 200
    let store = try makeStore(fs, options: options)
    let large = records(300, inYear: 2025, seed: 1)
    try store.append(large)
    let original = try SegmentReader(
      fs.openSegment("/store/data/2025/\(store.manifest.partition(2025)!.files[0].name)"))
    let small = records(50, inYear: 2025, seed: 2)
    let larger = records(400, inYear: 2025, seed: 3)
    try store.append(small)
    try store.append(larger)
    // Three files, two allowed: the two smallest (large and small) were merged.
    let files = store.manifest.partition(2025)!.files
    #expect(files.map(\.rows) == [larger.count, large.count + small.count])
    let merged = try SegmentReader(fs.openSegment("/store/data/2025/\(files.last!.name)"))
    // The large row group is the original's, byte for byte; the small one was re-encoded.
    #expect(merged.footer.rowGroups.map(\.rowCount) == [large.count, small.count])
    let copied = try merged.encodedRowGroup(0).map(\.stored)
    #expect(copied == (try original.encodedRowGroup(0).map(\.stored)))
    #expect(try fingerprint(store) == (fingerprint(large) + fingerprint(small) + fingerprint(larger)).sorted())
    #expect(store.verify().isClean)
  }

  @Test func singleRecordAppendsLeaveNoMoreFilesThanOneBulkLoad() throws {
    let batch = records(300, today: CivilDate(year: 2026, month: 6, day: 1))
    let bulk = InMemoryFileSystem()
    let bulkStore = try makeStore(bulk)
    try bulkStore.append(batch)
    bulkStore.close()
    let single = InMemoryFileSystem()
    let singleStore = try makeStore(single)
    for row in 0..<batch.count { try singleStore.append(batch.permuted([row])) }
    singleStore.close()
    let bulkFiles = try openStore(bulk, mode: .reader).manifest.years.map { $0.files.count }
    let reopened = try openStore(single, mode: .reader)
    #expect(reopened.manifest.years.map { $0.files.count } == bulkFiles)
    #expect(bulkFiles.allSatisfy { $0 == 1 })
    #expect(try fingerprint(reopened) == fingerprint(batch))
  }

  @Test func verifyReportsADamagedSegment() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs)
    try store.append(records(300, inYear: 2025))
    let file = store.manifest.partition(2025)!.files[0].name
    var bytes = try fs.readFile("/store/data/2025/\(file)")
    bytes[40] ^= 0xFF
    try fs.writeFile("/store/data/2025/\(file)", bytes)
    let report = store.verify()
    #expect(report.problems.count == 1)
    #expect(report.problems.first?.contains(file) == true)
  }
}
