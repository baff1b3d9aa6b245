import Synchronization

/// A fixed number of counters that any thread may add to without a lock (relaxed atomics: each
/// count is exact, reads are not a snapshot across counters, which metrics do not need).
///
/// `@unchecked Sendable`: the storage is allocated once in `init`, never resized, and touched
/// only through `Atomic` operations; it is freed in `deinit`, when nobody can hold the object.
final class AtomicCounters: @unchecked Sendable {
    let count: Int
    private let storage: UnsafeMutablePointer<Atomic<Int>>

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        for i in 0..<count { (storage + i).initialize(to: Atomic(0)) }
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func add(_ index: Int, _ amount: Int = 1) {
        precondition(index >= 0 && index < count)
        storage[index].wrappingAdd(amount, ordering: .relaxed)
    }

    subscript(index: Int) -> Int {
        precondition(index >= 0 && index < count)
        return storage[index].load(ordering: .relaxed)
    }
}
