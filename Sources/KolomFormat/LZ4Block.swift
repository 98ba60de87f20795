// LZ4 block format (not frame) through liblz4; both sizes live in the chunk entry
// (format-spec/compression.md).
import CLZ4

/// LZ4 block compression of chunk bytes.
public enum LZ4Block {
  /// `raw` compressed, or nil when LZ4 saves less than 1/16 of it (then it is stored raw).
  /// Level 0 is LZ4's fast compressor; 1 ... 12 are LZ4HC levels, which write the same
  /// block format (one decoder) smaller and slower.
  /// - Complexity: O(raw.count).
  public static func compressIfWorthwhile(_ raw: [UInt8], level: Int) -> [UInt8]? {
    guard raw.count >= 64, raw.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
    let bound = Int(LZ4_compressBound(Int32(raw.count)))
    var out = [UInt8](repeating: 0, count: bound)
    let written = raw.withUnsafeBytes { src in
      out.withUnsafeMutableBytes { dst in
        let source = src.baseAddress!.assumingMemoryBound(to: CChar.self)
        let target = dst.baseAddress!.assumingMemoryBound(to: CChar.self)
        return level == 0
          ? LZ4_compress_default(source, target, Int32(raw.count), Int32(bound))
          : LZ4_compress_HC(source, target, Int32(raw.count), Int32(bound), Int32(level))
      }
    }
    guard written > 0, Int(written) <= raw.count - raw.count / 16 else { return nil }
    out.removeLast(out.count - Int(written))
    return out
  }

  /// Decompresses one block that must decode to exactly `rawCount` bytes, into `output`.
  /// Returns false when the block is malformed or has another size.
  public static func decompress(
    _ stored: UnsafeRawBufferPointer, rawCount: Int, into output: UnsafeMutableRawBufferPointer
  ) -> Bool {
    precondition(output.count >= rawCount)
    guard stored.count <= Int(Int32.max), rawCount <= Int(Int32.max) else { return false }
    guard rawCount > 0, stored.count > 0 else { return false }
    let decoded = LZ4_decompress_safe(
      stored.baseAddress!.assumingMemoryBound(to: CChar.self),
      output.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(stored.count), Int32(rawCount))
    return Int(decoded) == rawCount
  }
}
