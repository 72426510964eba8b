import FluentKit
import Foundation
import LinliCore

/// A migration with the number of the release folder it came in (`Migrations/0006/…`). Capabilities
/// declare their own; the numbers order them across capabilities, as they were released.
public struct NumberedMigration: Sendable {
    public let number: Int
    public let migration: any AsyncMigration

    public init(_ number: Int, _ migration: any AsyncMigration) {
        self.number = number
        self.migration = migration
    }

    /// Every capability's migrations in release order (within a release, in the order of the capabilities),
    /// each run in one transaction. Append only: a released migration is never edited.
    public static func ordered(_ parts: [[NumberedMigration]]) -> [any Migration] {
        parts.joined().enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }
            .map { Atomic(inner: $0.element.migration) }
    }
}

/// A capability's part of `linli demo`: it adds its data to the demo district and says what it added.
public protocol DemoStep: Sendable {
    func load(_ demo: DemoContext) async throws -> String?
}

/// What every demo step gets.
public struct DemoContext: Sendable {
    public var db: any Database
    public var cipher: PersonalDataCipher
    public var seed: UInt64
    /// Residents asked for (the registry's step loads them; later steps scale with them).
    public var residents: Int
    /// Requests asked for (nil: the requests step chooses).
    public var requests: Int?
    public var today: CivilDate
    public var now: Int64
    /// A progress bar for long steps: (label, unit) → a sink for (done, total).
    public var progress: @Sendable (String, String) -> DemoProgress

    public init(db: any Database, cipher: PersonalDataCipher, seed: UInt64, residents: Int, requests: Int?, today: CivilDate, now: Int64,
                progress: @escaping @Sendable (String, String) -> DemoProgress) {
        self.db = db
        self.cipher = cipher
        self.seed = seed
        self.residents = residents
        self.requests = requests
        self.today = today
        self.now = now
        self.progress = progress
    }
}

/// A progress display: `update(done, total)` while working, `finish()` at the end.
public struct DemoProgress: Sendable {
    public let update: @Sendable (Int, Int) -> Void
    public let finish: @Sendable () -> Void

    public init(update: @escaping @Sendable (Int, Int) -> Void, finish: @escaping @Sendable () -> Void) {
        self.update = update
        self.finish = finish
    }

    public static let none = DemoProgress(update: { _, _ in }, finish: {})
}
