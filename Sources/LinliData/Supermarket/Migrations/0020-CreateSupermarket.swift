import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心超市. One supermarket per street (`street_code`, the street's 9-digit prefix, unique); its goods with a
/// price in points and a stock changed only by a conditional UPDATE in the transaction that writes the stock
/// movement. Love points per person: `love_point_balances` holds each person's balance (changed only by a
/// conditional UPDATE, never below zero) and the count of entries (the ledger's sequence, taken with the row
/// lock); `love_point_entries` every entry with the balance after it. Rates are effective-dated rows, so a
/// change does not rewrite history; `love_point_allowances` makes the monthly allowance once per household and
/// month. `love_point_tallies` and `supermarket_assisted_years` keep the year's figures per grid for the indicators.
/// Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateSupermarket: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("supermarkets")
            .id()
            .field("street_code", .string, .required)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("opening_hours", .string, .required)
            .field("keeper_name", .string, .required)
            // A work contact, not a resident's; the portal shows it masked.
            .field("keeper_phone", .string, .required)
            .field("open", .bool, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "street_code")
            .create()

        try await database.schema("supermarket_goods")
            .id()
            .field("supermarket_id", .uuid, .required, .references("supermarkets", "id"))
            .field("name", .string, .required)
            .field("category", .string, .required)
            .field("unit", .string, .required)
            .field("price", .int, .required)
            .field("stock", .int64, .required)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "supermarket_id", "name", "unit")
            .create()

        try await database.schema("supermarket_stock_moves")
            .id()
            .field("goods_id", .uuid, .required, .references("supermarket_goods", "id"))
            .field("supermarket_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("quantity", .int64, .required)
            .field("balance", .int64, .required)
            .field("reason", .string)
            .field("redemption_id", .uuid)
            .field("on_date", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("supermarket_stock_moves_goods", on: "supermarket_stock_moves", columns: ["goods_id", "created_at"])

        try await database.schema("love_point_rates")
            .id()
            // `volunteer_hour`, or `allowance.<assistance kind>`.
            .field("kind", .string, .required)
            .field("points", .int, .required)
            .field("effective_from", .string, .required)
            .field("set_by", .string, .required)
            .field("set_at", .int64, .required)
            .unique(on: "kind", "effective_from")
            .create()

        try await database.schema("love_point_balances")
            .field("resident_id", .uuid, .identifier(auto: false), .references("residents", "id"))
            // The person's grid when the last entry was written: the lists' scope.
            .field("grid_code", .string, .required)
            .field("balance", .int64, .required)
            .field("earned", .int64, .required)
            .field("spent", .int64, .required)
            .field("entries", .int, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("love_point_balances_grid", on: "love_point_balances", columns: ["grid_code"])

        try await database.schema("love_point_entries")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("seq", .int, .required)
            .field("grid_code", .string, .required)
            .field("kind", .string, .required)
            .field("points", .int64, .required)
            .field("balance", .int64, .required)
            // A negative correction larger than the balance: what could not be taken back (the balance stops at zero).
            .field("shortfall", .int64, .required)
            .field("on_date", .string, .required)
            // The volunteer record, the redemption, the allowance's case: what the entry answers to.
            .field("reference", .string)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "resident_id", "seq")
            .create()
        try await database.createIndex("love_point_entries_day", on: "love_point_entries", columns: ["on_date", "kind", "grid_code"])

        try await database.schema("love_point_allowances")
            .field("household_id", .uuid, .required, .references("households", "id"))
            .field("month", .string, .required)
            .field("resident_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("points", .int, .required)
            .field("created_at", .int64, .required)
            .unique(on: "household_id", "month")
            .create()

        try await database.schema("supermarket_redemptions")
            .id()
            .field("supermarket_id", .uuid, .required, .references("supermarkets", "id"))
            .field("street_code", .string, .required)
            // The person's balance after it (a receipt shows it).
            .field("balance_after", .int64, .required)
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("household_id", .uuid, .required)
            // The household's assistance case in payment when it redeemed, as it was then.
            .field("assistance_kind", .string)
            .field("points", .int64, .required)
            .field("lines", .string, .required)
            .field("on_date", .string, .required)
            .field("status", .string, .required)
            .field("voided_by", .string)
            .field("void_reason", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("supermarket_redemptions_market", on: "supermarket_redemptions", columns: ["supermarket_id", "on_date"])
        try await database.createIndex("supermarket_redemptions_day", on: "supermarket_redemptions", columns: ["on_date", "street_code"])
        try await database.createIndex("supermarket_redemptions_person", on: "supermarket_redemptions", columns: ["resident_id", "on_date"])

        // The year's figures per grid, kept in the transactions that write the entries and redemptions, so that the
        // indicators read one row per grid instead of the year's ledger.
        try await database.schema("love_point_tallies")
            .field("grid_code", .string, .required)
            .field("year", .int, .required)
            .field("earned", .int64, .required)
            .field("redeemed", .int64, .required)
            .field("redemptions", .int64, .required)
            .unique(on: "grid_code", "year")
            .create()
        // Households that redeemed in a year while on assistance: one row each (a later void leaves it).
        try await database.schema("supermarket_assisted_years")
            .field("household_id", .uuid, .required)
            .field("year", .int, .required)
            .field("grid_code", .string, .required)
            .unique(on: "household_id", "year")
            .create()

        // The district's starting rates (changed later by new effective-dated rows): ten points an hour of
        // verified volunteer service; a month on 低保 100 points, on 特困 150.
        let sql = SQLHelpers.sql(database)
        for (kind, points) in [(LovePointRateKind.volunteerHour, 10), ("allowance.dibao", 100), ("allowance.tekun", 150)] {
            try await sql.insert(into: "love_point_rates").columns("id", "kind", "points", "effective_from", "set_by", "set_at")
                .values(SQLBind(UUID()), SQLBind(kind), SQLBind(points), SQLBind("2016-01-01"), SQLBind("system"), SQLBind(Int64(0))).run()
        }
    }

    public func revert(on database: any Database) async throws {
        for t in ["supermarket_assisted_years", "love_point_tallies", "supermarket_redemptions", "love_point_allowances", "love_point_entries", "love_point_balances", "love_point_rates",
                  "supermarket_stock_moves", "supermarket_goods", "supermarkets"] { try await database.schema(t).delete() }
    }
}
