import Foundation
import NIOConcurrencyHelpers

/// Counts attempts per key (an IP address) in a sliding window; used to slow down password guessing.
final class RateLimiter: Sendable {
    private let attempts = NIOLockedValueBox<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an attempt; false when the key has used up its allowance.
    func allow(_ key: String, now: Date) -> Bool {
        attempts.withLockedValue { all in
            var recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
            defer {
                all[key] = recent
                if all.count > 10_000 { all = all.filter { !$0.value.isEmpty } }
            }
            guard recent.count < limit else { return false }
            recent.append(now)
            return true
        }
    }
}
