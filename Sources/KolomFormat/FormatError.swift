// FormatError: every way a segment file can be malformed, with where it was found.
// Messages are rendered here, once, for the operator who must act on them.

/// Where in a segment file a problem was found.
public enum FileLocation: Sendable, Equatable, CustomStringConvertible {
  case header
  case trailer
  case footer
  case column(Int)
  case rowGroup(Int)
  case chunk(rowGroup: Int, column: Int)

  public var description: String {
    switch self {
    case .header: "header"
    case .trailer: "trailer"
    case .footer: "footer"
    case .column(let c): "column \(c)"
    case .rowGroup(let g): "row group \(g)"
    case .chunk(let g, let c): "row group \(g), column \(c)"
    }
  }
}

/// An error reading or validating a segment file. Never a trap: every malformed
/// input maps to one of these cases.
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file is shorter than a header plus a trailer, or than it claims.
  case truncated(size: Int, needed: Int)
  /// The magic bytes are wrong at the header or the trailer.
  case badMagic(at: FileLocation)
  /// The file's major version is newer than this reader.
  case unsupportedVersion(found: UInt16, highestSupported: UInt16)
  /// The file needs features this reader does not know.
  case unknownRequiredFeatures(UInt64)
  /// An offset or length points outside the file or its section.
  case outOfBounds(at: FileLocation, offset: UInt64, length: UInt64, limit: UInt64)
  /// A checksum does not match the stored bytes.
  case checksumMismatch(at: FileLocation, stored: UInt64, computed: UInt64)
  /// A count or size exceeds what this reader accepts.
  case limitExceeded(at: FileLocation, what: String, value: UInt64, limit: UInt64)
  /// A field holds a value the format does not allow.
  case invalidField(at: FileLocation, field: String, value: UInt64)
  /// LZ4 could not decode a block to its declared size.
  case decompressionFailed(at: FileLocation, expected: Int)
  /// Decoded data contradicts the footer (statistics, null counts, code ranges).
  case inconsistent(at: FileLocation, detail: String)

  /// A stable short name per case, used by format-spec/test-vectors/bad/expected.json.
  public var code: String {
    switch self {
    case .truncated: "truncated"
    case .badMagic: "bad-magic"
    case .unsupportedVersion: "unsupported-version"
    case .unknownRequiredFeatures: "unknown-required-feature"
    case .outOfBounds: "out-of-bounds"
    case .checksumMismatch: "checksum-mismatch"
    case .limitExceeded: "limit-exceeded"
    case .invalidField: "invalid-field"
    case .decompressionFailed: "decompression-failed"
    case .inconsistent: "inconsistent"
    }
  }

  public var description: String {
    switch self {
    case .truncated(let size, let needed):
      needed > size && needed == size + 1
        ? "file is truncated: \(size) bytes and no trailer (cut short, or never finished)"
        : "file is truncated: \(size) bytes, needs at least \(needed)"
    case .badMagic(let at):
      "not a Kolom segment: bad magic bytes in the \(at)"
    case .unsupportedVersion(let found, let highest):
      "segment format version \(found) is newer than this reader (reads up to \(highest)); upgrade kolom"
    case .unknownRequiredFeatures(let bits):
      "segment needs unknown required features 0x\(String(bits, radix: 16)); upgrade kolom"
    case .outOfBounds(let at, let offset, let length, let limit):
      "\(at): range at offset \(offset) of length \(length) lies outside the \(limit) bytes available"
    case .checksumMismatch(let at, let stored, let computed):
      "\(at): checksum mismatch (stored \(hex(stored)), computed \(hex(computed))); the file is damaged"
    case .limitExceeded(let at, let what, let value, let limit):
      "\(at): \(what) is \(value), more than the limit \(limit)"
    case .invalidField(let at, let field, let value):
      "\(at): invalid \(field) \(value)"
    case .decompressionFailed(let at, let expected):
      "\(at): LZ4 block does not decode to its declared \(expected) bytes"
    case .inconsistent(let at, let detail):
      "\(at): \(detail)"
    }
  }
}

private func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}
