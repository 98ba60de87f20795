// Cancellation: a flag another thread (a Ctrl-C handler, a server timeout) sets and a
// running query checks between row groups.
import Synchronization

/// Asks a running query to stop.
public final class Cancellation: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  /// Asks the query to stop; it throws `QueryError.cancelled` at its next row group.
  public func cancel() { flag.store(true, ordering: .relaxed) }

  /// Lets the token be used for another query.
  public func reset() { flag.store(false, ordering: .relaxed) }

  public var isCancelled: Bool { flag.load(ordering: .relaxed) }

  func check() throws {
    if isCancelled { throw QueryError.cancelled }
  }
}
