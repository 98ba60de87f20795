// Export: the generated records of a run as CSV, for the peer engines of
// Benchmarks/peers (the same records the query suite's store holds). Codes as their
// text, dates as YYYY-MM-DD, the pseudonym as hex, one 0/1 column per flag named
// set__code, NULL as an empty field.
import Foundation
import KolomFormat
import KolomGenerator
import KolomStore

/// Writes `records` generated records of `seed` to `path` as CSV.
func exportCSV(records: Int, seed: UInt64, to path: String) throws {
  let schema = try Schema.retMonitor()
  let generator = try CaseGenerator(schema: schema, options: GeneratorOptions(seed: seed, today: benchToday))
  _ = FileManager.default.createFile(atPath: path, contents: nil)
  guard let out = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
  defer { try? out.close() }
  var header: [String] = []
  for (column, layout) in zip(schema.columns, schema.physical.layouts) {
    if case .flags(_, _, _) = layout, case .flags(let list) = column.type {
      header += list.codes.map { "\(column.name)__\($0.code)" }
    } else {
      header.append(column.name)
    }
  }
  out.write(Data((header.joined(separator: ",") + "\n").utf8))
  generator.generate(count: records, batchSize: 100_000) { batch in
    var text = ""
    text.reserveCapacity(batch.count * 400)
    for row in 0..<batch.count {
      var fields: [String] = []
      for (column, layout) in zip(schema.columns, schema.physical.layouts) {
        switch layout {
        case .single(let p): fields.append(field(batch.columns[p], row, column))
        case .flags(let first, let count, let presence):
          let absent = presence.map { !batch.columns[$0].isValid(row) || !batch.columns[$0].bool(row) } ?? false
          for f in first..<(first + count) { fields.append(absent ? "" : (batch.columns[f].bool(row) ? "1" : "0")) }
        }
      }
      text += fields.joined(separator: ",")
      text += "\n"
    }
    out.write(Data(text.utf8))
  }
}

private func field(_ data: ColumnData, _ row: Int, _ column: SchemaColumn) -> String {
  guard data.isValid(row) else { return "" }
  switch data.values {
  case .bytes(let bytes, let width):
    return bytes[(row * width)..<(row * width + width)].map { String(format: "%02x", $0) }.joined()
  case .booleans(let bits): return bits[row] ? "1" : "0"
  case .integers(let values):
    let v = values[row]
    switch column.type {
    case .category(let list): return list.codes[Int(v)].code
    case .date: return CivilDate(days: v).description
    default: return String(v)
    }
  }
}

extension ColumnData {
  fileprivate func isValid(_ row: Int) -> Bool { validity?[row] ?? true }
  fileprivate func bool(_ row: Int) -> Bool {
    if case .booleans(let bits) = values { return bits[row] }
    return false
  }
}
