import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Failed sign-ins and wrong current passwords, counted per username and client address. After `free`
/// failures in a row that address waits before it may try that username again: `base` seconds, twice as
/// long after each further failure, at most `cap`. An account is never locked as a whole, so no one can
/// lock its holder out from elsewhere, and an unknown username is counted like a known one, so the answers
/// do not tell which usernames exist.
final class SignInThrottle: Sendable {
    private struct Entry {
        var failures: Int
        var last: Date
        var until: Date?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let free: Int
    let base: TimeInterval
    let cap: TimeInterval
    /// A run of failures is forgotten this long after the last one.
    let forget: TimeInterval = 24 * 3600

    init(free: Int, base: TimeInterval, cap: TimeInterval) {
        self.free = max(1, free)
        self.base = base
        self.cap = max(base, cap)
    }

    private static func key(_ username: String, _ address: String) -> String { address + " " + username.lowercased() }

    /// Whole seconds this address must still wait before trying this username, or nil.
    func wait(username: String, address: String, now: Date) -> Int? {
        entries.withLockedValue { all in
            guard let until = all[Self.key(username, address)]?.until, until > now else { return nil }
            return Int(until.timeIntervalSince(now).rounded(.up))
        }
    }

    /// Counts a failure; returns the wait it starts, if any.
    @discardableResult
    func fail(username: String, address: String, now: Date) -> Int? {
        entries.withLockedValue { all in
            let key = Self.key(username, address)
            var e = all[key].flatMap { now.timeIntervalSince($0.last) < forget ? $0 : nil } ?? Entry(failures: 0, last: now)
            e.failures += 1
            e.last = now
            var wait: Int?
            if e.failures >= free {
                let delay = min(cap, base * pow(2, Double(min(e.failures - free, 30))))
                e.until = now.addingTimeInterval(delay)
                wait = Int(delay.rounded(.up))
            }
            all[key] = e
            if all.count > 100_000 { all = all.filter { now.timeIntervalSince($0.value.last) < forget } }
            return wait
        }
    }

    /// A success clears the count for this username from this address.
    func succeed(username: String, address: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: Self.key(username, address)) }
    }

    /// The answer to an attempt made while waiting: the same for every username, known or not.
    static func refusal(wait: Int) -> ProblemError {
        ProblemError(status: .tooManyRequests, detail: "登录失败次数过多，请 \(wait) 秒后再试", retryAfter: wait)
    }
}

extension Application {
    struct SignInThrottleKey: StorageKey { typealias Value = SignInThrottle }

    /// Shared by the API's and the console's sign-in and change of password (set up with the routes).
    var signInThrottle: SignInThrottle {
        get { storage[SignInThrottleKey.self]! }
        set { storage[SignInThrottleKey.self] = newValue }
    }
}
