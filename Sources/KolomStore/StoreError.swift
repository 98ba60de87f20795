// StoreError: what can go wrong in the store layer, with the input and place.
// Messages are rendered here, once.

/// An error of the store: schemas, code lists and the dataset on disk.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Another process holds the writer lock.
  case locked(pid: Int)
  /// The path holds no store (no CURRENT).
  case notAStore(path: String)
  /// A store already exists where one was to be created.
  case alreadyExists(path: String)
  /// The store's own files contradict each other or their checksums.
  case corrupt(path: String, detail: String)
  /// A record is dated in a year that retention has already expired.
  case expiredYear(year: Int, expiredAt: String, row: Int)
  /// A record is dated after today (Europe/Amsterdam).
  case futureRecord(date: String, today: String, row: Int)
  /// The clock is earlier than the store's last sweep, so expiry cannot be trusted.
  case clockBeforeLastSweep(now: String, lastSweep: String)
  /// A setting outside what the store accepts.
  case invalidSetting(String)
  /// A file operation failed before the commit point; the store is unchanged.
  case fileSystem(FileSystemError)
  /// The commit succeeded but removing files it left behind failed; the next sweep retries.
  case cleanupFailed(FileSystemError)
  /// A schema or code list file could not be read or does not follow its rules.
  case invalidSchema(file: String, detail: String)
  /// A CSV file is malformed at a line.
  case malformedCSV(file: String, line: Int, detail: String)
  /// A name that is not in the schema.
  case unknownColumn(String, suggestion: String?)
  /// A code that is not in a column's code list.
  case unknownCode(String, column: String, suggestion: String?)

  /// A key file that cannot be used, and why.
  case invalidKey(path: String, detail: String)
  /// Records pseudonymised under a key other than the store's.
  case wrongKey(expected: String, given: String)

  /// No live record has the client number given.
  case noSuchClient
  /// A corrected record breaks a rule (rectification); nothing was changed.
  case invalidRecord(String)

  public var description: String {
    switch self {
    case .invalidRecord(let detail):
      "the corrected record would be invalid: \(detail); nothing was changed"
    case .noSuchClient:
      "no live record has this client number (under this key); nothing was changed"
    case .invalidKey(let path, let detail):
      "key file \(path): \(detail)"
    case .wrongKey(let expected, let given):
      "the key given (fingerprint \(given)) is not the store's key (fingerprint \(expected)); nothing was changed"
    case .locked(let pid):
      "store is locked by pid \(pid) (one writer at a time; readers need no lock)"
    case .notAStore(let path):
      "\(path) is not a Kolom store (no CURRENT file); create one with kolom init"
    case .alreadyExists(let path):
      "\(path) already holds a store"
    case .corrupt(let path, let detail):
      "store file \(path) is damaged: \(detail)"
    case .expiredYear(let year, let expiredAt, let row):
      "record \(row + 1): its year \(year) expired at \(expiredAt) under the retention period; it is not stored"
    case .futureRecord(let date, let today, let row):
      "record \(row + 1): date \(date) is after today (\(today), Europe/Amsterdam); it is not stored"
    case .clockBeforeLastSweep(let now, let lastSweep):
      "the clock (\(now)) is earlier than the store's last retention sweep (\(lastSweep)); fix the clock first"
    case .invalidSetting(let detail):
      detail
    case .fileSystem(let error):
      "\(error); the store is unchanged"
    case .cleanupFailed(let error):
      "\(error); the change was committed, and the next sweep (on open, or kolom expire) removes what is left"
    case .invalidSchema(let file, let detail):
      "schema \(file): \(detail)"
    case .malformedCSV(let file, let line, let detail):
      "\(file):\(line): \(detail)"
    case .unknownColumn(let name, let suggestion):
      "unknown column '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .unknownCode(let code, let column, let suggestion):
      "unknown code '\(code)' for \(column)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    }
  }
}
