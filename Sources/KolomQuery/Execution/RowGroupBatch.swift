// RowGroupBatch: one row group as a batch; a column is read, checked and decoded on
// first use and kept while the row group is being processed.
import KolomFormat

/// The rows of one row group of one scanned file.
final class RowGroupBatch: Batch {
  let file: ScanFile
  let group: Int
  let count: Int
  private var decoded: [Int: Vector] = [:]

  init(file: ScanFile, group: Int) {
    self.file = file
    self.group = group
    count = file.reader.footer.rowGroups[group].rowCount
  }

  func column(_ physical: Int) throws -> Vector {
    if let vector = decoded[physical] { return vector }
    let vector: Vector
    if let c = file.columns[physical] {
      vector = Vector(try reading { try file.reader.read(rowGroup: group, column: c) })
    } else {
      vector = .constant(.null, count: count)  // a column added after this file was written
    }
    decoded[physical] = vector
    return vector
  }

  func grouped(_ index: Int) -> Vector { preconditionFailure("a row group has no group columns") }

  /// Physical column `physical` where only the rows of `selection` are read: when few
  /// rows are selected, a bit-packed chunk is decoded at those rows alone (not kept;
  /// other rows hold 0); otherwise the whole column, as `column`.
  func column(_ physical: Int, selected selection: Bitmap) throws -> Vector {
    guard decoded[physical] == nil, selection.trueCount * 8 < count, let c = file.columns[physical] else {
      return try column(physical)
    }
    guard let data = try reading({ try file.reader.read(rowGroup: group, column: c, selection: selection) }) else {
      return try column(physical)
    }
    return Vector(data)
  }

  /// Tested on the packed chunk, unless the column is decoded already (then comparing
  /// the decoded values costs less) or its chunk is not narrowly bit-packed.
  func test(_ physical: Int, _ accept: (Int64) -> Bool) throws -> Vector? {
    guard decoded[physical] == nil, let c = file.columns[physical] else { return nil }
    guard let tested = try reading({ try file.reader.test(rowGroup: group, column: c, accept: accept) }) else {
      return nil
    }
    return .bools(tested.matches, valid: tested.validity)
  }

  /// `body`'s result, a damaged file's `FormatError` reported as storage naming the file.
  private func reading<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as FormatError {
      throw QueryError.storage("\(file.year)/\(file.name): \(error)")
    }
  }

  /// The exact statistics of physical column `physical` in this row group.
  func statistics(_ physical: Int) -> ChunkStatistics? {
    file.columns[physical].map { file.reader.footer.chunk(rowGroup: group, column: $0).statistics }
  }
}

/// The table of groups as a batch: keys, then aggregates, one row per group.
struct GroupBatch: Batch {
  let columns: [Vector]
  let count: Int

  func column(_ physical: Int) throws -> Vector { preconditionFailure("groups have no physical columns") }
  func grouped(_ index: Int) -> Vector { columns[index] }
  func test(_ physical: Int, _ accept: (Int64) -> Bool) throws -> Vector? { nil }
}
