// Records as rows (ingest's form, in one table or in parts) become the same segments as
// the same records as columns: the year split, the segment order and every stored value
// agree.
import Foundation
import KolomFormat
import Testing

@testable import KolomStore

@Suite struct RecordRowsTests {
  /// The records of `batch` at `rows` as a table of rows, value by value.
  private func table(of batch: RecordBatch, rows: Range<Int>) -> RecordRows {
    var table = RecordRows(schema: batch.schema)
    for r in rows {
      var raw = [Int64](repeating: 0, count: batch.schema.columns.count)
      var nulls: UInt64 = 0
      var id: [UInt8] = []
      for (c, value) in batch.record(at: r).enumerated() {
        switch value {
        case .int(let v)?: raw[c] = v
        case .flags(let mask)?: raw[c] = Int64(bitPattern: mask)
        case .bytes(let bytes)?: id = bytes
        case nil: nulls |= 1 << UInt64(c)
        }
      }
      raw.withUnsafeBufferPointer { raw in
        id.withUnsafeBufferPointer { table.append(raw: raw, nulls: nulls, id: $0) }
      }
    }
    return table
  }

  @Test(arguments: [1, 2, 3])
  func rowsInTablesAndColumnsMakeTheSameSegments(tables: Int) {
    let batch = records(3_000, seed: 5, today: CivilDate(year: 2026, month: 6, day: 1))
    // The records split over `tables` tables, as a file read in parts is.
    let cuts = (0...tables).map { $0 * batch.count / tables }
    let rows = (0..<tables).map { table(of: batch, rows: cuts[$0]..<cuts[$0 + 1]) }
    #expect(rows.recordCount == batch.count)
    let years = batch.rowsByYear()
    #expect(years.count > 5)
    #expect(years.map(\.year) == rowsByYear(dates: rows.values(of: testSchema.index(of: "datum")!)).map(\.year))
    let order = rows.segmentOrder()
    for (year, indices) in years {
      let fromColumns = batch.inSegmentOrder(rows: indices)
      let fromRows = rows.inSegmentOrder(rows: indices, order: order)
      #expect(fromRows.encodedSegment() == fromColumns.encodedSegment(), "\(year)")
      for (c, column) in testSchema.physical.columns.enumerated() {
        #expect(fromRows.columns[c].values == fromColumns.columns[c].values, "\(year) \(column.name)")
        #expect(fromRows.columns[c].nullCount == fromColumns.columns[c].nullCount, "\(year) \(column.name)")
      }
    }
  }

  @Test func aNullValueIsStoredAsZeroWhateverWasGiven() {
    var rows = RecordRows(schema: testSchema)
    let columns = testSchema.columns.count
    let raw = [Int64](repeating: 5, count: columns)
    let activities = testSchema.index(of: "ret_activiteiten")!
    raw.withUnsafeBufferPointer { raw in
      [UInt8](repeating: 1, count: PseudonymKey.width).withUnsafeBufferPointer {
        rows.append(raw: raw, nulls: 1 << UInt64(activities), id: $0)
      }
    }
    #expect(rows.value(0, activities) == nil)
    #expect(rows.values(of: activities) == [0])
    #expect(rows.value(0, 0) == 5)
  }

  @Test func theYearSplitKeepsEveryRowOnceInOrder() {
    // Two halves on both cores from 65,536 dates on: the same as one pass.
    let days = (0..<100_000).map { Int64(16_000 + ($0 * 7919) % 4_000) }
    let split = rowsByYear(dates: days)
    #expect(split.map(\.year) == split.map(\.year).sorted())
    #expect(split.flatMap(\.rows).sorted() == Array(0..<days.count))
    for (year, rows) in split {
      #expect(rows == rows.sorted())
      #expect(rows.allSatisfy { CivilDate.year(ofDays: days[$0]) == year })
    }
  }
}
