// A small parallel map over both cores, for independent chunks.
import Dispatch
import Synchronization

/// `transform` applied to every index of `range`, in parallel on every core, results
/// in order.
public func parallelMap<T: Sendable>(_ range: Range<Int>, _ transform: @Sendable (Int) -> T) -> [T] {
  let results = Mutex<[T?]>(Array(repeating: nil, count: range.count))
  DispatchQueue.concurrentPerform(iterations: range.count) { i in
    let value = transform(range.lowerBound + i)
    results.withLock { $0[i] = value }
  }
  return results.withLock { $0.map { $0! } }
}
