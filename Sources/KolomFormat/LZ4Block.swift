// LZ4 block format (not frame) through liblz4; both sizes live in the chunk entry
// (format-spec/compression.md).
import CLZ4
import Synchronization

/// LZ4 block compression of chunk bytes.
public enum LZ4Block {
  /// `raw` compressed, or nil when LZ4 saves less than 1/16 of it (then it is stored raw).
  /// Level 0 is LZ4's fast compressor; 1 ... 12 are LZ4HC levels, which write the same
  /// block format (one decoder) smaller and slower. With `probe`, the fast compressor is
  /// tried first and LZ4HC only when that shrinks `raw` at all: for bytes that are most
  /// likely random (pseudonyms), where LZ4HC searches long to find nothing.
  /// - Complexity: O(raw.count).
  public static func compressIfWorthwhile(_ raw: [UInt8], level: Int, probe: Bool = false) -> [UInt8]? {
    guard raw.count >= 64, raw.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
    let bound = Int(LZ4_compressBound(Int32(raw.count)))
    var written: Int32 = 0
    let out = [UInt8](unsafeUninitializedCapacity: bound) { dst, initialized in
      written = raw.withUnsafeBytes { src in
        let source = src.baseAddress!.assumingMemoryBound(to: CChar.self)
        let target = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
        if level == 0 || probe {
          let fast = LZ4_compress_default(source, target, Int32(raw.count), Int32(bound))
          guard level > 0, fast > 0, Int(fast) < raw.count else { return fast }
        }
        return HCStates.using { state in
          // A reset state compresses the block on its own, as LZ4_compress_HC does, without
          // allocating and clearing 256 KiB of tables per chunk.
          LZ4_resetStreamHC_fast(state, Int32(level))
          return LZ4_compress_HC_continue(state, source, target, Int32(raw.count), Int32(bound))
        }
      }
      initialized = max(0, Int(written))
    }
    guard written > 0, Int(written) <= raw.count - raw.count / 16 else { return nil }
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

/// LZ4HC compression states, kept for reuse: one is taken for each compression, so there
/// are never more than the threads that compress at once.
private enum HCStates {
  /// A state, used by one thread at a time.
  private struct State: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<LZ4_streamHC_t>
  }
  private static let idle = Mutex<[State]>([])

  static func using<T>(_ body: (UnsafeMutablePointer<LZ4_streamHC_t>) -> T) -> T {
    let state = idle.withLock { $0.popLast() } ?? State(pointer: LZ4_createStreamHC()!)
    defer { idle.withLock { $0.append(state) } }
    return body(state.pointer)
  }
}
