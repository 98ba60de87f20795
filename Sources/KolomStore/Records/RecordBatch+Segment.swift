// Records to and from segment files: sorted into segment order on the way out,
// matched to the schema by field id on the way in.
import KolomFormat

extension RecordBatch {
  /// The bytes of one segment file holding these records in their order (put them in
  /// segment order first: `inSegmentOrder()`).
  /// - Complexity: O(n × columns).
  public func encodedSegment(options: WriterOptions = WriterOptions()) -> [UInt8] {
    var writer = SegmentWriter(columns: schema.physical.columns, options: options)
    if count > 0 { writer.append(columns) }
    return writer.finish()
  }

  /// The records of the segment `reader` (of row group `rowGroup` only, when given),
  /// whose columns must be this schema's (matched by field id, in any order).
  public init(schema: Schema, segment reader: SegmentReader, rowGroup: Int? = nil) throws {
    let byField = Dictionary(
      reader.footer.columns.enumerated().map { ($1.fieldID, $0) }, uniquingKeysWith: { first, _ in first })
    let columns = try schema.physical.columns.map { wanted -> ColumnData in
      guard let index = byField[wanted.fieldID], reader.footer.columns[index].kind == wanted.kind else {
        throw StoreError.invalidSchema(
          file: schema.name, detail: "segment lacks column \(wanted.name) (field \(wanted.fieldID), \(wanted.kind))")
      }
      return try rowGroup.map { try reader.read(rowGroup: $0, column: index) } ?? reader.readColumn(index)
    }
    self.init(schema: schema, columns: columns)
  }
}
