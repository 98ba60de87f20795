// The golden and bad files of format-spec/test-vectors: how they were made, and
// their expected contents in the form format-spec/reader.py prints.
// Golden files are kept forever; this code only writes them when asked to
// (KOLOM_WRITE_GOLDEN=1 swift test --filter GoldenFileTests).
import Foundation
import KolomFormat

enum GoldenFiles {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("format-spec/test-vectors")

  struct Golden {
    var name: String
    var columns: [ColumnDescriptor]
    var data: [ColumnData]
    var options: WriterOptions
  }

  /// The v1.0 golden files: every kind, encoding, codec, width extreme, nulls and row group split.
  static var v1: [Golden] {
    var rng = SeededRandom(seed: 2026)
    let smallest = Golden(
      name: "smallest", columns: [ColumnDescriptor(fieldID: 1, name: "n", kind: .int)],
      data: [ColumnData(.integers([5, 7, 6]))], options: WriterOptions(compression: false))

    let kinds: [ColumnDescriptor] = [
      .init(fieldID: 1, name: "id", kind: .bytes, byteWidth: 16),
      .init(fieldID: 2, name: "region", kind: .code, codeCount: 42),
      .init(fieldID: 3, name: "day", kind: .date),
      .init(fieldID: 4, name: "count", kind: .int, isNullable: true),
      .init(fieldID: 5, name: "flag", kind: .bool),
      .init(fieldID: 6, name: "closed", kind: .date, isNullable: true),
      .init(fieldID: 7, name: "outcome", kind: .code, isNullable: true, codeCount: 9),
      .init(fieldID: 8, name: "note", kind: .bytes, isNullable: true, byteWidth: 3),
      .init(fieldID: 9, name: "maybe", kind: .bool, isNullable: true),
    ]
    let rows = 250
    var kindData: [ColumnData] = []
    var ids: [UInt8] = []
    for r in 0..<rows { for i in 0..<16 { ids.append(UInt8(truncatingIfNeeded: (r / 3) &* 31 &+ i &* 7)) } }
    kindData.append(ColumnData(.bytes(ids, width: 16)))
    kindData.append(ColumnData(.integers((0..<rows).map { Int64($0 / 20) })))
    kindData.append(ColumnData(.integers((0..<rows).map { 20_000 + Int64($0 % 365) })))
    let someNull = Bitmap((0..<rows).map { $0 % 7 != 3 })
    kindData.append(ColumnData(.integers((0..<rows).map { Int64($0) * 1_000 - 90_000 }), validity: someNull))
    kindData.append(ColumnData(.booleans(Bitmap((0..<rows).map { _ in rng.next() % 5 == 0 }))))
    let mostlyNull = Bitmap((0..<rows).map { $0 % 3 == 2 })
    kindData.append(ColumnData(.integers((0..<rows).map { 20_100 + Int64($0) }), validity: mostlyNull))
    kindData.append(ColumnData(.integers((0..<rows).map { Int64($0 % 9) }), validity: mostlyNull))
    kindData.append(
      ColumnData(.bytes((0..<(rows * 3)).map { UInt8(truncatingIfNeeded: $0) }, width: 3), validity: someNull))
    kindData.append(ColumnData(.booleans(Bitmap((0..<rows).map { $0 % 2 == 0 })), validity: mostlyNull))
    let allKinds = Golden(name: "all-kinds", columns: kinds, data: kindData, options: WriterOptions(rowGroupSize: 100))

    let extremesColumns: [ColumnDescriptor] = [
      .init(fieldID: 1, name: "wide", kind: .int),
      .init(fieldID: 2, name: "constant", kind: .int),
      .init(fieldID: 3, name: "all_true", kind: .bool),
      .init(fieldID: 4, name: "all_false", kind: .bool),
      .init(fieldID: 5, name: "all_null", kind: .date, isNullable: true),
      .init(fieldID: 6, name: "one_code", kind: .code, codeCount: 1),
    ]
    let extremes = Golden(
      name: "constant-and-extremes", columns: extremesColumns,
      data: [
        ColumnData(.integers([Int64.min, Int64.max, 0, -1, 1, Int64.min + 1, Int64.max - 1])),
        ColumnData(.integers(Array(repeating: -42, count: 7))),
        ColumnData(.booleans(Bitmap(count: 7, value: true))),
        ColumnData(.booleans(Bitmap(count: 7, value: false))),
        ColumnData(.integers(Array(repeating: 0, count: 7)), validity: Bitmap(count: 7, value: false)),
        ColumnData(.integers(Array(repeating: 0, count: 7))),
      ], options: WriterOptions(compression: false))

    let plainColumns = [
      ColumnDescriptor(fieldID: 1, name: "amount", kind: .int, isNullable: true),
      ColumnDescriptor(fieldID: 2, name: "code", kind: .code, codeCount: 300),
    ]
    let plain = Golden(
      name: "plain-integers", columns: plainColumns,
      data: [
        ColumnData(.integers([3, -3, 300_000, 0, 9]), validity: Bitmap([true, true, false, true, true])),
        ColumnData(.integers([299, 0, 150, 150, 1])),
      ], options: WriterOptions(compression: false, plainIntegers: true))

    let empty = Golden(
      name: "empty", columns: [ColumnDescriptor(fieldID: 1, name: "n", kind: .int, isNullable: true)],
      data: [ColumnData(.integers([]))], options: WriterOptions())

    let lz4Rows = 5000
    let lz4 = Golden(
      name: "lz4-fast-and-hc",
      columns: [
        ColumnDescriptor(fieldID: 1, name: "sorted_code", kind: .code, codeCount: 342),
        ColumnDescriptor(fieldID: 2, name: "sparse_flag", kind: .bool),
      ],
      data: [
        ColumnData(.integers((0..<lz4Rows).map { Int64($0 * 342 / lz4Rows) })),
        ColumnData(.booleans(Bitmap((0..<lz4Rows).map { $0 % 97 == 0 }))),
      ], options: WriterOptions(rowGroupSize: 2500, compressionLevel: 0))
    // RUNS: pseudonyms repeating in runs (with nulls inside runs), a constant column
    // (one run), and a column of unique values that stays PLAIN; two row groups.
    let runsRows = 150
    var pseudonyms: [UInt8] = []
    for r in 0..<runsRows { for i in 0..<16 { pseudonyms.append(UInt8(truncatingIfNeeded: (r / 4) &* 37 &+ i)) } }
    var unique: [UInt8] = []
    for r in 0..<runsRows { unique += [UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r &* 7)] }
    let runs = Golden(
      name: "runs",
      columns: [
        ColumnDescriptor(fieldID: 1, name: "pseudonym", kind: .bytes, isNullable: true, byteWidth: 16),
        ColumnDescriptor(fieldID: 2, name: "constant", kind: .bytes, byteWidth: 5),
        ColumnDescriptor(fieldID: 3, name: "unique", kind: .bytes, byteWidth: 2),
      ],
      data: [
        ColumnData(.bytes(pseudonyms, width: 16), validity: Bitmap((0..<runsRows).map { $0 % 11 != 5 })),
        ColumnData(.bytes(Array(repeating: 0xAB, count: runsRows * 5), width: 5)),
        ColumnData(.bytes(unique, width: 2)),
      ], options: WriterOptions(rowGroupSize: 100, compression: false))
    return [smallest, allKinds, extremes, plain, empty, lz4, runs]
  }

  static func bytes(of golden: Golden) -> [UInt8] {
    var writer = SegmentWriter(columns: golden.columns, options: golden.options)
    if golden.data[0].count > 0 { writer.append(golden.data) }
    return writer.finish()
  }

  /// The expected decoded contents, built from the input data (not by decoding),
  /// in the JSON form of `reader.py FILE`.
  static func expectedJSON(of golden: Golden) -> [String: Any] {
    let rows = golden.data[0].count
    let groupSize = golden.options.rowGroupSize
    let groups = stride(from: 0, to: rows, by: groupSize).map { min(groupSize, rows - $0) }
    var values: [String: Any] = [:]
    for (column, data) in zip(golden.columns, golden.data) {
      values[column.name] = (0..<rows).map { row -> Any in jsonValue(data, row: row, kind: column.kind) }
    }
    return [
      "version": [1, 0], "rows": rows, "row_groups": groups, "values": values,
      "columns": golden.columns.map {
        [
          "field_id": $0.fieldID, "name": $0.name, "kind": $0.kind.description, "nullable": $0.isNullable,
          "byte_width": $0.byteWidth, "code_count": $0.codeCount,
        ] as [String: Any]
      },
    ]
  }

  static func jsonValue(_ data: ColumnData, row: Int, kind: ColumnKind) -> Any {
    if data.isNull(row) { return NSNull() }
    switch data.values {
    case .integers(let v): return kind == .date ? isoDate(v[row]) : NSNumber(value: v[row])
    case .booleans(let b): return b[row]
    case .bytes(let b, let w): return b[(row * w)..<(row * w + w)].map { String(format: "%02x", $0) }.joined()
    }
  }

  static func isoDate(_ days: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(days) * 86_400)
    let formatter = DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
  }
}
