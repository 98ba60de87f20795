// Verification of a whole store: the manifest against the files, every checksum,
// every statistic recomputed, every record in its year. Reports every problem.
import KolomFormat

/// What `verify` found.
public struct VerifyReport: Sendable {
  /// One line per problem, naming the file.
  public var problems: [String] = []
  public var filesChecked = 0
  public var recordsChecked = 0
  public var bytesChecked = 0

  public var isClean: Bool { problems.isEmpty }
}

extension Store {
  /// Checks every file the manifest names (size, footer checksum, rows, dates, every
  /// chunk checksum and statistic) and that no other file is under the store.
  /// `progress` is called after each file with the bytes checked so far.
  /// - Complexity: O(bytes of the store).
  public func verify(progress: (Int) -> Void = { _ in }) -> VerifyReport {
    var report = VerifyReport()
    let manifest = (try? Store.loadCurrent(layout, fileSystem)) ?? self.manifest
    for partition in manifest.years {
      for file in partition.files {
        let path = layout.segment(file.name, year: partition.year)
        do {
          try check(file, at: path, year: partition.year)
          report.recordsChecked += file.rows
        } catch {
          report.problems.append("\(path): \(error)")
        }
        report.filesChecked += 1
        report.bytesChecked += file.bytes
        progress(report.bytesChecked)
      }
    }
    report.problems += strayFiles(manifest)
    return report
  }

  private func check(_ file: SegmentFile, at path: String, year: Int) throws {
    let source = try fileSystem.openSegment(path)
    guard source.size == file.bytes else {
      throw StoreError.corrupt(path: path, detail: "\(source.size) bytes, the manifest says \(file.bytes)")
    }
    let reader = try SegmentReader(source)
    let trailer = try source.read(offset: source.size - Layout.trailerSize, count: Layout.trailerSize)
    let checksum = StoreLayout.hex((0..<8).reduce(0) { $0 | UInt64(trailer[16 + $1]) << (8 * UInt64($1)) })
    guard checksum == file.footerChecksum, reader.footer.rowCount == file.rows else {
      throw StoreError.corrupt(path: path, detail: "footer checksum or row count differs from the manifest")
    }
    try reader.verify()
    let records = try RecordBatch(schema: schema, segment: reader)
    let dates = records.dateRange(of: schema.partitionColumn)
    guard dates.lowerBound.year == year, dates.upperBound.year == year,
      dates.lowerBound.description == file.minDate, dates.upperBound.description == file.maxDate
    else {
      throw StoreError.corrupt(path: path, detail: "record dates \(dates) do not match year \(year) and the manifest")
    }
  }

  private func strayFiles(_ manifest: Manifest) -> [String] {
    var stray: [String] = []
    let live = Dictionary(uniqueKeysWithValues: manifest.years.map { ($0.year, Set($0.files.map(\.name))) })
    for entry in (try? fileSystem.listDirectory(layout.data)) ?? [] {
      let keep = Int(entry).flatMap { live[$0] } ?? []
      for name in (try? fileSystem.listDirectory(Paths.join(layout.data, entry))) ?? [] where !keep.contains(name) {
        stray.append("\(Paths.join(layout.data, entry, name)): not in the manifest (left by an interrupted operation)")
      }
    }
    return stray
  }
}
