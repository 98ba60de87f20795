// The access policy shared by the REPL and the server: who asks, and what that lets
// them see. The planner injects a role's row restriction at the scan, before any
// expression of the query is evaluated.

/// Who runs a query.
public struct AccessContext: Sendable, Equatable {
  /// A role and what it may see (DESIGN.md, "Access and disclosure control").
  public enum Role: Sendable, Equatable {
    /// The local operator: every row and every column.
    case owner
    /// An RET: the rows of its own region (a jeugdregio code such as JZ13) only.
    case ret(region: String)
    /// A national analyst: aggregates over every region, never single records.
    case analyst
    /// A dashboard: named canned queries only (the server enforces which).
    case dashboard
  }

  public var role: Role

  public init(role: Role) { self.role = role }

  /// The local operator at the REPL or the command line.
  public static let owner = AccessContext(role: .owner)

  /// Whether the role may see single records (row queries, not only aggregates).
  var mayReadRecords: Bool {
    switch role {
    case .owner, .ret: true
    case .analyst, .dashboard: false
    }
  }
}
