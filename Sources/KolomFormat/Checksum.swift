// The one checksum of the format: XXH3-64 with seed 0 over the stored bytes
// (format-spec/checksums.md), from xxHash compiled header-only.
import CXXHash

/// XXH3-64 (seed 0) checksums.
public enum Checksum {
  /// The XXH3-64 of `bytes`.
  /// - Complexity: O(bytes.count).
  public static func xxh3(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    UInt64(kolom_xxh3_64(bytes.baseAddress, bytes.count))
  }

  /// The XXH3-64 of `bytes`.
  public static func xxh3(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { xxh3($0) }
  }

  /// The XXH3-64 of `bytes`.
  public static func xxh3(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.withUnsafeBytes { xxh3($0) }
  }
}
