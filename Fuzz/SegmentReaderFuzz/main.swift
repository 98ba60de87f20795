// libFuzzer target for the segment reader: any bytes must open, decode and verify,
// or fail with a FormatError, never trap. Built only by `make fuzz` (KOLOM_FUZZ=1).
import KolomFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegmentReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let reader = try? SegmentReader(InMemorySegment(bytes)) else { return 0 }
  for g in reader.footer.rowGroups.indices {
    for c in reader.footer.columns.indices {
      _ = try? reader.read(rowGroup: g, column: c)
      // A filter tested on the packed values, as queries do.
      _ = try? reader.test(rowGroup: g, column: c) { $0 & 1 == 0 }
    }
    // Copying a row group as compaction does must also survive any input.
    if let chunks = try? reader.encodedRowGroup(g) {
      var writer = SegmentWriter(columns: reader.footer.columns)
      writer.appendEncoded(rows: reader.footer.rowGroups[g].rowCount, chunks: chunks)
      _ = try? SegmentReader(InMemorySegment(writer.finish())).verify()
    }
  }
  _ = try? reader.verify()
  return 0
}
