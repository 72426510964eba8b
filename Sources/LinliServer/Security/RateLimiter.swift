import Foundation
import NIOConcurrencyHelpers
import Vapor

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
        update(key, now: now) { recent in
            guard recent.count < limit else { return false }
            recent.append(now)
            return true
        }
    }

    /// Whether the key has used up its allowance, without counting this as an attempt.
    func exhausted(_ key: String, now: Date) -> Bool {
        update(key, now: now) { $0.count >= limit }
    }

    /// Counts an attempt (a failed one, for limits that count only failures).
    func record(_ key: String, now: Date) {
        update(key, now: now) { $0.append(now) }
    }

    private func update<T>(_ key: String, now: Date, _ body: (inout [Date]) -> T) -> T {
        attempts.withLockedValue { all in
            var recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
            defer {
                all[key] = recent.isEmpty ? nil : recent
                // Keys seen once and never again would pile up: past 10,000 keys, drop every attempt out of the window.
                if all.count > 10_000 {
                    all = all.compactMapValues { times in
                        let kept = times.filter { now.timeIntervalSince($0) < window }
                        return kept.isEmpty ? nil : kept
                    }
                }
            }
            return body(&recent)
        }
    }
}

/// Guessing a request's access code: wrong tries are counted per request number and per client address,
/// and past either allowance every try is refused for the rest of the window (429), the right code too,
/// so that the answer tells a guesser nothing more.
struct TrackingGuard: Sendable {
    let perNumber: RateLimiter
    let perAddress: RateLimiter

    init(_ config: AppConfig) {
        perNumber = RateLimiter(limit: config.trackFailuresPerNumber, window: config.trackWindow)
        perAddress = RateLimiter(limit: config.trackFailuresPerAddress, window: config.trackWindow)
    }

    func check(number: String, address: String, now: Date) throws {
        if perNumber.exhausted("n:" + number, now: now) || perAddress.exhausted("a:" + address, now: now) {
            throw ProblemError(status: .tooManyRequests, detail: "查询尝试过于频繁，请一小时后再试；如忘记查询码，请联系所在社区")
        }
    }

    func failed(number: String, address: String, now: Date) {
        perNumber.record("n:" + number, now: now)
        perAddress.record("a:" + address, now: now)
    }
}

extension Application {
    struct TrackingGuardKey: StorageKey { typealias Value = TrackingGuard }
    /// Shared by the tracking API and the portal's tracking page (set by `configure`).
    var trackingGuard: TrackingGuard {
        get { storage[TrackingGuardKey.self]! }
        set { storage[TrackingGuardKey.self] = newValue }
    }
}
