// Retention exactly as DESIGN.md says: year Y is invisible from 1 January Y+10 00:00
// Europe/Amsterdam and physically gone at the next sweep (retention-erasure.md §3,
// tests 1–5, 7, 11, with Y+10 as DESIGN.md decides).
import Foundation
import KolomFormat
import Testing

@testable import KolomStore

@Suite(.serialized) struct RetentionTests {
  @Test(arguments: ["UTC", "America/New_York", "Asia/Tokyo"])
  func aYearExpiresAtMidnightInAmsterdamWhateverTheHostZone(zone: String) throws {
    let saved = ProcessInfo.processInfo.environment["TZ"]
    setenv("TZ", zone, 1)
    tzset()
    defer {
      if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
      tzset()
    }
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2024-06-01T12:00:00Z")
    try store.append(records(100, inYear: 2015))
    try store.append(records(100, inYear: 2016))
    store.close()
    // 2015 expires at 2025-01-01 00:00 Amsterdam = 2024-12-31T23:00:00Z.
    for (now, visible) in [
      ("2024-01-01T00:00:00Z", true), ("2024-12-31T22:59:59Z", true), ("2024-12-31T23:00:00Z", false),
      ("2024-12-31T23:30:00Z", false),
    ] {
      let reader = try openStore(fs, now: now, mode: .reader)
      let years = try reader.snapshot().segments.map(\.year)
      #expect(years.contains(2015) == visible, "at \(now) under TZ=\(zone)")
      #expect(years.contains(2016))
    }
    let retention = Retention(years: 10)
    #expect(Instant.format(retention.expiry(ofYear: 2015)) == "2024-12-31T23:00:00Z")
    #expect(Instant.format(retention.expiry(ofYear: 2020)) == "2029-12-31T23:00:00Z")
  }

  @Test func theOldestLiveYearAgreesWithExpiryAroundEveryNewYear() {
    // Ingest and append test a year against the oldest live year, not the calendar.
    for retention in [Retention(years: 10), Retention(years: 3)] {
      for newYear in 2024...2031 {
        let expiry = retention.expiry(ofYear: newYear - retention.years)
        for now in [expiry.addingTimeInterval(-1), expiry, expiry.addingTimeInterval(1)] {
          let oldest = retention.oldestLiveYear(at: now)
          for year in (newYear - retention.years - 2)...(newYear + 1) {
            #expect(retention.isExpired(year: year, at: now) == (year < oldest), "\(year) at \(now)")
          }
        }
      }
    }
  }

  @Test func aRecordJustBeforeNewYearInUTCBelongsToItsCivilDate() {
    // Record dates are civil dates, so partitioning never depends on a host zone.
    #expect(CivilDate.year(ofDays: CivilDate(year: 2015, month: 12, day: 31).days) == 2015)
    #expect(Retention.today(at: instant("2015-12-31T23:30:00Z")) == CivilDate(year: 2016, month: 1, day: 1))
  }

  @Test func recordsInAnExpiredYearOrTheFutureAreRefusedAndStoreNothing() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
    try store.append(records(50, inYear: 2020))
    let before = try fingerprint(store)
    #expect {
      try store.append(records(10, inYear: 2016))
    } throws: { error in
      guard case .expiredYear(2016, let at, _)? = error as? StoreError else { return false }
      return at == "2026-01-01 00:00 (Europe/Amsterdam)"
    }
    #expect(!fs.exists("/store/data/2016"))
    let future = records(20, today: CivilDate(year: 2026, month: 12, day: 31))
    #expect { try store.append(future) } throws: {
      if case .futureRecord? = $0 as? StoreError { true } else { false }
    }
    #expect(try fingerprint(store) == before)
  }

  @Test func aStoreClosedAcrossNewYearNeverShowsTheExpiredYear() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-12-31T20:00:00Z")
    try store.append(records(100, inYear: 2017))
    try store.append(records(100, inYear: 2018))
    store.close()
    // Reopened after midnight in Amsterdam: not even the first read sees 2017.
    let reader = try openStore(fs, now: "2026-12-31T23:00:01Z", mode: .reader)
    #expect(try reader.snapshot().segments.map(\.year) == [2018])
    #expect(fs.exists("/store/data/2017"))  // a reader changes nothing
    let writer = try openStore(fs, now: "2026-12-31T23:00:01Z")
    #expect(writer.manifest.years.map(\.year) == [2018])
    #expect(!fs.exists("/store/data/2017"))  // the writer's open swept it
  }

  @Test func shorteningRetentionExpiresYearsAndLengtheningBringsNothingBack() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
    for year in [2018, 2019, 2020, 2021, 2024] { try store.append(records(30, inYear: year)) }
    try store.setRetention(years: 7)  // keeps 2020 ... 2026
    #expect(store.manifest.years.map(\.year) == [2020, 2021, 2024])
    #expect(store.manifest.retentionYears == 7)
    try store.setRetention(years: 10)
    #expect(store.manifest.years.map(\.year) == [2020, 2021, 2024])
    #expect(try fs.listDirectory("/store/data") == ["2020", "2021", "2024"])
  }

  @Test func aSweepRefusesAClockBeforeTheLastSweepOrFarBeyondIt() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
    try store.append(records(30, inYear: 2020))
    store.close()
    #expect { try openStore(fs, now: "2026-05-01T12:00:00Z") } throws: {
      if case .clockBeforeLastSweep? = $0 as? StoreError { true } else { false }
    }
    #expect { try openStore(fs, now: "2100-01-01T00:00:00Z") } throws: { "\($0)".contains("Check the clock") }
    #expect(try openStore(fs, now: "2026-06-01T12:00:00Z", mode: .reader).snapshot().recordCount == 30)
    // --now (an overridden clock) may look back without moving the store's clock.
    let demo = try Store.open(
      at: storePath, mode: .writer, fileSystem: fs, clock: .fixed(instant("2026-03-01T00:00:00Z")))
    #expect(demo.manifest.lastSweep == "2026-06-01T12:00:00Z")
  }

  @Test func afterExpiryNoByteOfTheYearRemainsAnywhere() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
    var canaryRecords = records(40, inYear: 2017)
    var canary = [UInt8](repeating: 0, count: 16)
    var rng = SystemRandomNumberGenerator()
    for i in 0..<16 { canary[i] = UInt8.random(in: 0...255, using: &rng) }
    let idColumn = { () -> Int in
      guard case .single(let p) = testSchema.physical.layouts[testSchema.index(of: "clientnummer")!] else { return 0 }
      return p
    }()
    if case .bytes(var ids, let width) = canaryRecords.columns[idColumn].values {
      ids.replaceSubrange(0..<width, with: canary)
      canaryRecords.columns[idColumn] = ColumnData(.bytes(ids, width: width))
    }
    try store.append(canaryRecords)
    try store.append(records(40, inYear: 2018))
    #expect(!storeContains(fs, canary).isEmpty)  // the scan finds it while it is stored
    store.close()
    _ = try openStore(fs, now: "2027-01-01T00:00:01+01:00")
    #expect(storeContains(fs, canary).isEmpty)
  }

  @Test func aYearThatCannotBeRemovedIsRetriedAndReported() throws {
    let fs = InMemoryFileSystem()
    let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
    try store.append(records(30, inYear: 2017))
    try store.append(records(30, inYear: 2018))
    store.close()
    // Shortening retention to 8 years expires both; removing the second year's segment fails.
    let counter = FaultInjectingFileSystem(fs.copy())
    try openStore(counter).setRetention(years: 8)
    let step = counter.steps.firstIndex { $0.hasPrefix("remove /store/data/2018/") }!
    let faulty = FaultInjectingFileSystem(fs, failingStep: step, with: .ioError)
    #expect { try openStore(faulty).setRetention(years: 8) } throws: {
      if case .cleanupFailed? = $0 as? StoreError { true } else { false }
    }
    fs.releaseLocks()
    #expect(!fs.exists("/store/data/2017"))
    #expect(fs.exists("/store/data/2018"))
    let retried = try openStore(fs)
    #expect(retried.manifest.years.isEmpty)
    #expect(try fs.listDirectory("/store/data").isEmpty)
  }
}
