import Foundation

/// A bounded read-through cache of records by id, for the reads that dominate a registry's traffic
/// (a profile opened again and again). Writes through this process remove the record at once; a write
/// by another process (a second server on PostgreSQL, an import run beside the server) is seen when
/// the entry expires after `ttl` seconds.
public final class RecordCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: (value: Value, expires: UInt64)] = [:]
    /// Bumped by every invalidation: a read that began before a write must not store what it read.
    private var epoch: UInt64 = 0
    private let capacity: Int
    private let ttl: UInt64
    private var hitCount = 0
    private var missCount = 0
    public var hits: Int { lock.lock(); defer { lock.unlock() }; return hitCount }
    public var misses: Int { lock.lock(); defer { lock.unlock() }; return missCount }

    public init(capacity: Int, ttlSeconds: Double) {
        self.capacity = capacity
        ttl = UInt64(ttlSeconds * 1_000_000_000)
    }

    private static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    public func get(_ id: Key) -> Value? {
        lock.lock(); defer { lock.unlock() }
        if let e = entries[id], e.expires > Self.now {
            hitCount += 1
            return e.value
        }
        missCount += 1
        return nil
    }

    /// Taken before reading the database; pass it to `put`.
    public func readToken() -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        return epoch
    }

    /// Stores a value read from the database, unless a write was made since `token` was taken.
    public func put(_ id: Key, _ value: Value, token: UInt64) {
        lock.lock(); defer { lock.unlock() }
        guard token == epoch else { return }
        if entries.count >= capacity {
            // Drop an arbitrary tenth: cheaper than tracking recency, and good enough for a cache.
            for key in entries.keys.prefix(max(1, capacity / 10)) { entries[key] = nil }
        }
        entries[id] = (value, Self.now + ttl)
    }

    /// Replaces a cached value in place (no effect when absent), e.g. a session's last-seen time.
    public func update(_ id: Key, _ change: (inout Value) -> Void) {
        lock.lock(); defer { lock.unlock() }
        if var e = entries[id] {
            change(&e.value)
            entries[id] = e
        }
    }

    /// Forgets everything (after a change that may touch many entries, such as an account's role).
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        epoch &+= 1
        entries.removeAll()
    }

    public func remove(_ id: Key) {
        lock.lock(); defer { lock.unlock() }
        epoch &+= 1
        entries[id] = nil
    }
}
