// SQLiteOracle: the same records in an SQLite database in memory, the oracle of the
// differential tests. Table `cases` holds a column per scalar column and one 0/1
// column per flag (`set__flag`, NULL when the set is), plus `set__text`, the flags
// ';'-joined as Kolom shows them; table `each_<set>` holds a row per flag a case has.
// Quantiles, which SQLite lacks, are aggregates written here (DuckDB's definitions).
import CSQLite
import Foundation
import Kolom

/// An SQLite database holding a record batch.
final class SQLiteOracle: @unchecked Sendable {
  private var db: OpaquePointer?
  private let lock = NSLock()

  init(_ records: RecordBatch) throws {
    guard sqlite3_open(":memory:", &db) == SQLITE_OK else { throw OracleError("cannot open SQLite") }
    registerQuantiles()
    try load(records)
  }

  deinit { sqlite3_close(db) }

  /// The rows of `sql` as canonical text (as `ResultSet.canonicalRows`).
  func rows(_ sql: String) throws -> [String] {
    lock.lock()
    defer { lock.unlock() }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
      throw OracleError("SQLite cannot prepare: \(String(cString: sqlite3_errmsg(db)))\n\(sql)")
    }
    defer { sqlite3_finalize(statement) }
    var rows: [String] = []
    while true {
      let step = sqlite3_step(statement)
      if step == SQLITE_DONE { break }
      guard step == SQLITE_ROW else { throw OracleError("SQLite: \(String(cString: sqlite3_errmsg(db)))\n\(sql)") }
      rows.append(
        (0..<sqlite3_column_count(statement)).map { Self.canonical(statement, $0) }.joined(separator: "\t"))
    }
    return rows
  }

  private static func canonical(_ statement: OpaquePointer?, _ i: Int32) -> String {
    switch sqlite3_column_type(statement, i) {
    case SQLITE_NULL: "NULL"
    case SQLITE_INTEGER: String(sqlite3_column_int64(statement, i))
    case SQLITE_FLOAT: Value.canonical(sqlite3_column_double(statement, i))
    default: String(cString: sqlite3_column_text(statement, i))
    }
  }

  private func execute(_ sql: String) throws {
    guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
      throw OracleError("SQLite: \(String(cString: sqlite3_errmsg(db)))\n\(sql)")
    }
  }

  // MARK: Loading

  /// The SQLite column names of schema column `column`.
  static func columnNames(_ column: SchemaColumn) -> [String] {
    guard case .flags(let list) = column.type else { return [column.name] }
    return list.codes.map { "\(column.name)__\($0.code)" } + ["\(column.name)__text"]
  }

  private func load(_ records: RecordBatch) throws {
    let schema = records.schema
    let names = schema.columns.flatMap(Self.columnNames)
    try execute("CREATE TABLE cases (row INTEGER PRIMARY KEY, \(names.map { "\"\($0)\"" }.joined(separator: ", ")))")
    for column in schema.columns where column.type.codeList != nil {
      if case .flags = column.type { try execute("CREATE TABLE \"each_\(column.name)\" (row INTEGER, flag TEXT)") }
    }
    try execute("BEGIN")
    let cells = (0..<records.count).map { row in schema.columns.indices.map { values(records, row, $0) } }
    try insert(
      "cases", columns: 1 + names.count, rows: cells.enumerated().map { [.int(Int64($0))] + $1.flatMap(\.cells) })
    for (c, column) in schema.columns.enumerated() {
      guard case .flags = column.type else { continue }
      let pairs = cells.enumerated().flatMap { row, values in
        values[c].flags.map { [Value.int(Int64(row)), .text($0)] }
      }
      try insert("each_\(column.name)", columns: 2, rows: pairs)
    }
    try execute("COMMIT")
  }

  /// Record `row`'s value of schema column `c`: its SQLite cells, and for a flag set its flags.
  private func values(_ records: RecordBatch, _ row: Int, _ c: Int) -> (cells: [Value], flags: [String]) {
    let column = records.schema.columns[c]
    switch records.schema.physical.layouts[c] {
    case .single(let p):
      let data = records.columns[p]
      if let validity = data.validity, !validity[row] { return ([.null], []) }
      switch (data.values, column.type) {
      case (.bytes(let b, let w), _):
        return ([.text(b[(row * w)..<(row * w + w)].map { String(format: "%02x", $0) }.joined())], [])
      case (.integers(let v), .category(let list)): return ([.text(list.codes[Int(v[row])].code)], [])
      case (.integers(let v), .date): return ([.text(CivilDate(days: v[row]).description)], [])
      case (.integers(let v), _): return ([.int(v[row])], [])
      default: preconditionFailure("column \(column.name)")
      }
    case .flags(let first, let count, let presence):
      guard case .flags(let list) = column.type else { preconditionFailure("flags layout of \(column.name)") }
      if let presence, case .booleans(let present) = records.columns[presence].values, !present[row] {
        return (Array(repeating: .null, count: count + 1), [])
      }
      let bits = (0..<count).map { f -> Bool in
        if case .booleans(let b) = records.columns[first + f].values { return b[row] }
        return false
      }
      let flags = zip(list.codes, bits).filter(\.1).map(\.0.code)
      return (bits.map { .int($0 ? 1 : 0) } + [.text(flags.joined(separator: ";"))], flags)
    }
  }

  private func insert(_ table: String, columns: Int, rows: [[Value]]) throws {
    var statement: OpaquePointer?
    let sql = "INSERT INTO \"\(table)\" VALUES (\(Array(repeating: "?", count: columns).joined(separator: ",")))"
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw OracleError("prepare \(sql)") }
    defer { sqlite3_finalize(statement) }
    for row in rows {
      for (i, value) in row.enumerated() {
        let at = Int32(i + 1)
        switch value {
        case .null: sqlite3_bind_null(statement, at)
        case .int(let v): sqlite3_bind_int64(statement, at, v)
        case .text(let s): sqlite3_bind_text(statement, at, s, -1, Self.transient)
        default: preconditionFailure("cell \(value)")
        }
      }
      guard sqlite3_step(statement) == SQLITE_DONE else { throw OracleError("insert into \(table)") }
      sqlite3_reset(statement)
    }
  }

  /// SQLITE_TRANSIENT: SQLite copies the bound text.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  // MARK: Quantiles

  private func registerQuantiles() {
    for (name, discrete) in [("kq_quantile_cont", false), ("kq_quantile_disc", true)] {
      let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
      let app = UnsafeMutableRawPointer(bitPattern: discrete ? 2 : 1)
      sqlite3_create_function_v2(db, name, 2, flags, app, nil, quantileStep, quantileFinal, nil)
    }
  }
}

/// The values one quantile aggregate has seen in one group.
private final class QuantileValues {
  var numbers: [Double] = []
  var texts: [String] = []
  var integral = true
  var fraction = 0.5
}

private func quantileState(_ context: OpaquePointer?, create: Bool) -> QuantileValues? {
  let size = Int32(create ? MemoryLayout<UnsafeMutableRawPointer?>.size : 0)
  guard let slot = sqlite3_aggregate_context(context, size)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
  else { return nil }
  if slot.pointee == nil {
    guard create else { return nil }
    slot.pointee = Unmanaged.passRetained(QuantileValues()).toOpaque()
  }
  return Unmanaged<QuantileValues>.fromOpaque(slot.pointee!).takeUnretainedValue()
}

private let quantileStep: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
  context, _, arguments in
  guard let arguments, let value = arguments[0] else { return }
  let type = sqlite3_value_type(value)
  guard type != SQLITE_NULL, let state = quantileState(context, create: true) else { return }
  state.fraction = sqlite3_value_double(arguments[1])
  switch type {
  case SQLITE_INTEGER: state.numbers.append(Double(sqlite3_value_int64(value)))
  case SQLITE_FLOAT:
    state.numbers.append(sqlite3_value_double(value))
    state.integral = false
  default: state.texts.append(String(cString: sqlite3_value_text(value)))
  }
}

private let quantileFinal: @convention(c) (OpaquePointer?) -> Void = { context in
  guard let slot = sqlite3_aggregate_context(context, 0)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self),
    let raw = slot.pointee
  else { return sqlite3_result_null(context) }
  let state = Unmanaged<QuantileValues>.fromOpaque(raw).takeRetainedValue()
  slot.pointee = nil
  let discrete = sqlite3_user_data(context) == UnsafeMutableRawPointer(bitPattern: 2)
  let q = state.fraction
  if !state.texts.isEmpty {
    let sorted = state.texts.sorted()
    let text = sorted[discreteIndex(sorted.count, q)]
    return sqlite3_result_text(context, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
  }
  let sorted = state.numbers.sorted()
  if discrete {
    let v = sorted[discreteIndex(sorted.count, q)]
    return state.integral ? sqlite3_result_int64(context, Int64(v)) : sqlite3_result_double(context, v)
  }
  // Hyndman–Fan type 7, as DuckDB's quantile_cont: interpolate between the neighbours of (n − 1)·q.
  let position = Double(sorted.count - 1) * q
  let below = sorted[Int(position.rounded(.down))]
  let above = sorted[Int(position.rounded(.up))]
  sqlite3_result_double(context, below + (position - position.rounded(.down)) * (above - below))
}

/// DuckDB's quantile_disc index: the value at ⌈n·q⌉ − 1 (at least 0), computed as DuckDB does.
private func discreteIndex(_ n: Int, _ q: Double) -> Int {
  max(1, n - Int((Double(n) - Double(n) * q).rounded(.down))) - 1
}

struct OracleError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
