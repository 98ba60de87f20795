// Shared test helpers: a seeded random source and random columns of every kind.
import KolomFormat

/// SplitMix64: small, fast, and the same sequence for the same seed everywhere.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E659
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Shapes a random column can take, to reach every encoding path.
enum ValueShape: CaseIterable {
  case random, constant, narrow, extremes
}

extension ColumnDescriptor {
  static func random(kind: ColumnKind, nullable: Bool, id: UInt32, using rng: inout SeededRandom) -> ColumnDescriptor {
    ColumnDescriptor(
      fieldID: id, name: "c\(id)_\(kind)", kind: kind, isNullable: nullable,
      byteWidth: kind == .bytes ? Int.random(in: 1...33, using: &rng) : 0,
      codeCount: kind == .code ? Int.random(in: 1...700, using: &rng) : 0)
  }
}

func randomColumn(
  _ column: ColumnDescriptor, rows: Int, shape: ValueShape, nullRate: Double, using rng: inout SeededRandom
) -> ColumnData {
  var validity: Bitmap? = nil
  if column.isNullable && nullRate > 0 {
    var bits = Bitmap(count: rows, value: true)
    for i in 0..<rows where Double.random(in: 0..<1, using: &rng) < nullRate { bits[i] = false }
    validity = bits
  }
  let values: ColumnValues
  switch column.kind {
  case .bytes:
    var bytes = (0..<(rows * column.byteWidth)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    if shape == .constant { bytes = Array(repeating: 7, count: bytes.count) }
    if shape == .narrow {
      // Runs of 1 to 4 equal values, as a case's pseudonym on its adjacent records.
      var row = 0
      while row < rows {
        let length = min(Int.random(in: 1...4, using: &rng), rows - row)
        for r in (row + 1)..<(row + length) {
          for i in 0..<column.byteWidth { bytes[r * column.byteWidth + i] = bytes[row * column.byteWidth + i] }
        }
        row += length
      }
    }
    values = .bytes(bytes, width: column.byteWidth)
  case .bool:
    let p = shape == .constant ? 1.0 : shape == .narrow ? 0.02 : 0.4
    values = .booleans(Bitmap((0..<rows).map { _ in Double.random(in: 0..<1, using: &rng) < p }))
  case .code:
    let top = shape == .constant ? 0 : column.codeCount - 1
    values = .integers((0..<rows).map { _ in Int64.random(in: 0...Int64(top), using: &rng) })
  case .int, .date:
    values = .integers((0..<rows).map { _ in randomInteger(shape, using: &rng) })
  }
  // Null slots carry a placeholder, as documented; writers may put anything there.
  return ColumnData(values, validity: validity)
}

private func randomInteger(_ shape: ValueShape, using rng: inout SeededRandom) -> Int64 {
  switch shape {
  case .random: Int64.random(in: -1_000_000...1_000_000, using: &rng)
  case .constant: 42
  case .narrow: 20_000 + Int64.random(in: 0...365, using: &rng)
  case .extremes: [Int64.min, Int64.max, 0, -1][Int.random(in: 0...3, using: &rng)]
  }
}

/// Values compared with nulls masked out: what a reader promises to return.
func normalized(_ data: ColumnData) -> [String] {
  (0..<data.count).map { row in
    if data.isNull(row) { return "null" }
    switch data.values {
    case .integers(let v): return String(v[row])
    case .booleans(let b): return String(b[row])
    case .bytes(let b, let w): return b[(row * w)..<(row * w + w)].map { String($0) }.joined(separator: ",")
    }
  }
}
