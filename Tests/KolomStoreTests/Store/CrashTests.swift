// Crash points (LevelDB's fault_injection_test in spirit): append, compaction and
// expiry stopped at every write, fsync, rename and removal in turn, with and without
// losing unsynced writes, then ENOSPC and EIO at every step. Reopening always shows
// the state before or after, never between, and verify passes.
import Foundation
import Testing

@testable import KolomStore

@Suite struct CrashTests {
  /// A store state to start from and an operation to interrupt.
  struct Scenario {
    var name: String
    var prepare: (InMemoryFileSystem) throws -> Void
    var operation: (any FileSystem) throws -> Void
    var reopenAt = "2026-06-01T12:00:00Z"
    /// Compaction changes files, not content.
    var changesContent = true
  }

  static var scenarios: [Scenario] {
    var crowded = StoreOptions()
    crowded.maxSegmentsPerYear = 2
    return [
      Scenario(
        name: "append to a new and an existing year",
        prepare: { fs in try makeStore(fs).append(records(200, inYear: 2024, seed: 1)) },
        operation: { fs in
          let batch = RecordBatch.concatenate(
            [records(150, inYear: 2024, seed: 2), records(150, inYear: 2025, seed: 3)], schema: testSchema)
          try openStore(fs).append(batch)
        }),
      Scenario(
        name: "append that triggers automatic compaction",
        prepare: { fs in
          let store = try makeStore(fs, options: crowded)
          try store.append(records(100, inYear: 2025, seed: 1))
          try store.append(records(100, inYear: 2025, seed: 2))
        },
        operation: { fs in try openStore(fs, options: crowded).append(records(100, inYear: 2025, seed: 3)) }),
      Scenario(
        name: "compaction",
        prepare: { fs in
          var options = StoreOptions()
          options.maxSegmentsPerYear = 100
          let store = try makeStore(fs, options: options)
          for seed in 1...3 { try store.append(records(100, inYear: 2023, seed: UInt64(seed))) }
        },
        operation: { fs in try openStore(fs).compact() }, changesContent: false),
      Scenario(
        name: "expiry on open",
        prepare: { fs in
          let store = try makeStore(fs, now: "2026-06-01T12:00:00Z")
          try store.append(records(200, inYear: 2017, seed: 1))
          try store.append(records(200, inYear: 2018, seed: 2))
        },
        operation: { fs in _ = try openStore(fs, now: "2027-01-01T00:30:00Z") },
        reopenAt: "2027-01-01T00:30:00Z"),
    ]
  }

  @Test(arguments: 0..<4)
  func aCrashAtAnyStepLeavesTheStateBeforeOrAfter(scenario index: Int) throws {
    let scenario = Self.scenarios[index]
    let (base, before, after, steps) = try baseline(scenario)
    let changed = before != after
    #expect(changed == scenario.changesContent, "\(scenario.name): content changed: \(changed)")
    for step in 0..<steps {
      for dropUnsynced in [false, true] {
        let fs = base.copy()
        let faulty = FaultInjectingFileSystem(fs, failingStep: step, with: .crash)
        // A crash in post-commit maintenance does not fail the operation (its data
        // is committed), so what matters is that the crash happened.
        _ = try? scenario.operation(faulty)
        #expect(faulty.hasCrashed, "\(scenario.name) step \(step) did not reach the crash")
        fs.releaseLocks()
        if dropUnsynced { fs.powerLoss() }
        let store = try openStore(fs, now: scenario.reopenAt)
        let state = try fingerprint(store)
        let where_ =
          "\(scenario.name): crash at step \(step) (\(faulty.steps.last ?? "")), unsynced dropped: \(dropUnsynced)"
        let beforeOrAfter = state == before || state == after
        #expect(beforeOrAfter, "\(where_): state is neither before nor after")
        #expect(store.verify().isClean, "\(where_): \(store.verify().problems)")
      }
    }
  }

  @Test(arguments: [FaultInjectingFileSystem.Fault.noSpace, .ioError])
  func aFullDiskOrIOErrorAtAnyStepGivesACleanErrorAndAnIntactStore(fault: FaultInjectingFileSystem.Fault) throws {
    let scenario = Self.scenarios[0]
    let (base, before, after, steps) = try baseline(scenario)
    for step in 0..<steps {
      let fs = base.copy()
      let faulty = FaultInjectingFileSystem(fs, failingStep: step, with: fault)
      do {
        try scenario.operation(faulty)
      } catch let error as StoreError {
        guard case .fileSystem = error else {
          Issue.record("step \(step): unexpected \(error)")
          continue
        }
      }
      fs.releaseLocks()
      let store = try openStore(fs)
      let state = try fingerprint(store)
      let beforeOrAfter = state == before || state == after
      #expect(beforeOrAfter, "\(fault) at step \(step) (\(faulty.steps.last ?? ""))")
      #expect(store.verify().isClean)
    }
  }

  /// The prepared file system, the content before and after the operation, and how
  /// many mutating steps the operation takes.
  private func baseline(_ scenario: Scenario) throws -> (InMemoryFileSystem, [String], [String], Int) {
    let base = InMemoryFileSystem()
    try scenario.prepare(base)
    base.releaseLocks()
    let before = try fingerprint(try openStore(base.copy(), now: "2026-06-01T12:00:00Z", mode: .reader))
    let counted = base.copy()
    let counter = FaultInjectingFileSystem(counted)
    try scenario.operation(counter)
    counted.releaseLocks()
    let after = try fingerprint(try openStore(counted, now: scenario.reopenAt, mode: .reader))
    return (base, before, after, counter.steps.count)
  }
}
