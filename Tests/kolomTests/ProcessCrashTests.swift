// The real thing: a `kolom generate` child appending batch after batch is killed with
// SIGKILL at random moments; every batch it acknowledged is in the store afterwards,
// nothing else but possibly the whole batch in flight, and verify passes. And a second
// writer process is told which pid holds the lock.
import Foundation
import KolomGenerator
import Testing

@testable import KolomStore

@Suite(.serialized) struct ProcessCrashTests {
  static let now = "2026-06-01T12:00:00Z"
  static let batchSize = 400

  @Test func killingAnAppendingProcessLosesNoAcknowledgedBatch() throws {
    let kills = Int(ProcessInfo.processInfo.environment["KOLOM_KILL_RUNS"] ?? "") ?? 50
    var rng = SystemRandomNumberGenerator()
    var expectedByCount: [Int: [String]] = [:]
    let generator = try CaseGenerator(
      schema: try Schema.retMonitor(),
      options: GeneratorOptions(seed: 3, today: Retention.today(at: Instant.parse(Self.now)!)))
    var inFlightCommitted = 0
    var acknowledgedCounts: [Int] = []
    for run in 0..<kills {
      let directory = try temporaryStore()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      _ = try kolom(["init", directory, "--now", Self.now])
      let child = try spawn([
        "generate", directory, "--records", "1000000", "--seed", "3", "--batch-size", String(Self.batchSize),
        "--now", Self.now, "--report-batches",
      ])
      usleep(UInt32.random(in: 30_000...1_500_000, using: &rng))
      kill(child.process.processIdentifier, SIGKILL)
      child.process.waitUntilExit()
      let output = String(decoding: child.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let acknowledged = output.split(separator: "\n").filter { $0.hasPrefix("committed batch") }.count
      acknowledgedCounts.append(acknowledged)

      let store = try Store.open(at: directory, mode: .writer, clock: .fixed(Instant.parse(Self.now)!))
      let stored = try store.snapshot().recordCount
      #expect(stored % Self.batchSize == 0, "run \(run): \(stored) records is not whole batches")
      let batches = stored / Self.batchSize
      #expect(
        batches == acknowledged || batches == acknowledged + 1,
        "run \(run): \(batches) batches stored, \(acknowledged) acknowledged")
      if batches == acknowledged + 1 { inFlightCommitted += 1 }
      let expected = expectedByCount[stored] ?? fingerprint(generator.generate(count: stored))
      expectedByCount[stored] = expected
      #expect(fingerprint(try store.snapshot().records()) == expected, "run \(run): wrong records")
      let report = store.verify()
      #expect(report.isClean, "run \(run): \(report.problems)")
      store.close()
    }
    print(
      "kill -9 runs: \(kills); batches acknowledged before the kill: \(acknowledgedCounts.min() ?? 0) ... "
        + "\(acknowledgedCounts.max() ?? 0); runs where the batch in flight had committed: \(inFlightCommitted)")
  }

  @Test func aSecondWriterProcessIsToldWhoHoldsTheLock() throws {
    let directory = try temporaryStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try Store.create(at: directory, schema: SchemaFiles.retMonitor())
    defer { store.close() }
    let result = try kolom(["generate", directory, "--records", "10"])
    #expect(result.status == 1)
    #expect(result.error.contains("store is locked by pid \(getpid())"), "\(result.error)")
    let reader = try kolom(["info", directory])
    #expect(reader.status == 0, "readers need no lock: \(reader.error)")
  }
}

/// The kolom executable built next to the test bundle.
let kolomBinary = builtExecutable("kolom")

/// The executable `name` of this package, built next to the test bundle.
func builtExecutable(_ name: String) -> String {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  var candidate = directory
  // The runner may sit inside a bundle directory; walk up to the build products.
  for _ in 0..<4 {
    let path = candidate.appendingPathComponent(name).path
    if FileManager.default.isExecutableFile(atPath: path) { return path }
    candidate = candidate.deletingLastPathComponent()
  }
  return directory.appendingPathComponent(name).path
}

func temporaryStore() throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("kolom-test-\(UUID().uuidString)").path
  return path
}

struct Spawned {
  var process: Process
  var output: Pipe
}

func spawn(_ arguments: [String]) throws -> Spawned {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: kolomBinary)
  process.arguments = arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  return Spawned(process: process, output: output)
}

/// Runs kolom to completion: exit status, standard output and standard error.
func kolom(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
  try run(kolomBinary, arguments)
}

/// Runs `executable` to completion: exit status, standard output and standard error.
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let output = Pipe()
  let error = Pipe()
  process.standardOutput = output
  process.standardError = error
  try process.run()
  let out = output.fileHandleForReading.readDataToEndOfFile()
  let err = error.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

func fingerprint(_ batch: RecordBatch) -> [String] {
  guard case .bytes(let ids, let width)? = batch.physicalValues("clientnummer"),
    case .integers(let dates)? = batch.physicalValues("datum"),
    case .integers(let phases)? = batch.physicalValues("fase")
  else { return [] }
  return (0..<batch.count).map { row in
    ids[(row * width)..<(row * width + width)].map { String($0, radix: 16) }.joined() + " \(dates[row]) \(phases[row])"
  }.sorted()
}
