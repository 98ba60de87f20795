// QueryEngine: one query from text to result: parse, bind against the catalog, plan
// (policy, pruning), execute. EXPLAIN stops after planning and describes the plan.
import Foundation
import KolomStore

/// Runs queries of the language on a store.
public enum QueryEngine {
  /// The result of `text` on the live data of `store`, as `access` may see it.
  /// `cases` keeps pseudonyms' numbers from one query to the next (a fresh set when nil).
  /// Throws `QueryError` with the position of a mistake in the text.
  public static func run(
    _ text: String, on store: Store, catalog: Catalog, parameters: [String: Value] = [:],
    access: AccessContext = .owner, cancellation: Cancellation? = nil, cases: CaseNumbers? = nil
  ) throws -> ResultSet {
    let started = DispatchTime.now().uptimeNanoseconds
    let statement = try Parser.parse(text)
    let query = try Binder(catalog: catalog, parameters: parameters).bind(statement)
    let plan = try storageErrors {
      try Planner.plan(query, catalog: catalog, store: store, access: access, cases: cases ?? CaseNumbers())
    }
    var result =
      statement.explain
      ? Explain.result(plan, statement: statement, catalog: catalog)
      : try storageErrors { try Executor.run(plan, cancellation: cancellation) }
    result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return result
  }

  /// Checks `text` without running it: the error it would give, if any.
  public static func check(_ text: String, catalog: Catalog, parameters: [String: Value] = [:]) throws {
    _ = try Binder(catalog: catalog, parameters: parameters).bind(try Parser.parse(text))
  }

  /// `body`, with store errors as query errors.
  private static func storageErrors<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw QueryError.storage("\(error)")
    }
  }
}
