import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The year's figures of the love points per grid, changed in the transaction of each entry or redemption (the
/// grid of the person then, the year of the entry's day), so that the indicators read one row per grid.
enum SupermarketTally {
    static func add(grid: String, day: String, earned: Int = 0, redeemed: Int = 0, redemptions: Int = 0, sql: any SQLDatabase) async throws {
        let year = Int(day.prefix(4)) ?? 0
        try await sql.raw("""
            INSERT INTO love_point_tallies (grid_code, year, earned, redeemed, redemptions)
            VALUES (\(bind: grid), \(bind: year), \(bind: earned), \(bind: redeemed), \(bind: redemptions))
            ON CONFLICT (grid_code, year) DO UPDATE SET earned = love_point_tallies.earned + excluded.earned,
                redeemed = love_point_tallies.redeemed + excluded.redeemed, redemptions = love_point_tallies.redemptions + excluded.redemptions
            """).run()
    }

    /// A household on assistance that redeemed in the year of `day` (once a year).
    static func assisted(household: UUID, grid: String, day: String, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO supermarket_assisted_years (household_id, year, grid_code) VALUES (\(bind: household), \(bind: Int(day.prefix(4)) ?? 0), \(bind: grid))
            ON CONFLICT (household_id, year) DO NOTHING
            """).run()
    }

    /// What counts as earned: credits of volunteer hours, the allowance and positive adjustments.
    static func earns(_ kind: LovePointKind) -> Bool { [.volunteerHours, .allowance, .adjustment].contains(kind) }
}
