import FluentKit

/// 物业服务评价. `property_ratings` holds each household's yearly rating of its compound's property service: the compound
/// (and its community's code, so a scope is one index range), the company under contract when it was given (null under
/// 准物业管理 or when nobody manages the compound), the household and the resident who rated, the year, the score (1–5,
/// 5 非常满意) and an optional comment (at most 200 characters). One rating per household and year: the key decides
/// whoever races. Times Unix seconds.
public struct CreatePropertyRatings: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("property_ratings")
            .id()
            .field("compound_id", .uuid, .required, .references("property_compounds", "id"))
            .field("company_id", .uuid, .references("property_companies", "id"))
            .field("community_code", .string, .required)
            .field("household_id", .uuid, .required)
            .field("year", .int, .required)
            .field("score", .int, .required)
            .field("comment", .string)
            .field("resident_id", .uuid, .required)
            .field("created_at", .int64, .required)
            .unique(on: "household_id", "year")
            .create()
        try await database.createIndex("property_ratings_compound", on: "property_ratings", columns: ["compound_id", "year"])
        try await database.createIndex("property_ratings_community", on: "property_ratings", columns: ["community_code", "year"])
        try await database.createIndex("property_ratings_company", on: "property_ratings", columns: ["company_id", "year"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("property_ratings").delete()
    }
}
