import FluentKit
import SQLKit

/// 物业管理. `property_compounds` are the compounds (小区) of a community: name (unique within it when written), year built, the
/// old-compound flag (老旧小区), and the services the community covers itself (`quasi_services`, 准物业管理; empty:
/// none). `property_compound_buildings` puts a building in a compound: the building is the key, so a building belongs
/// to at most one compound whoever races. `property_companies` are the property service companies (物业服务企业), the
/// credit code unique, each with the department its account acts for (`department_code`, a row of `departments`) so
/// that requests can be dispatched to it. `property_contracts` are the service contracts of a compound (term, fee per
/// m² per month, services, staff on site, the property-management room's area), carrying the compound's community
/// code so a scope is one index range. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateProperty: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("property_compounds")
            .id()
            .field("community_code", .string, .required)
            .field("name", .string, .required)
            .field("year_built", .int)
            .field("old", .bool, .required)
            .field("quasi_services", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        // Names are kept unique within a community by the write (409 at `name`), not by a key: merging two communities
        // (区划调整) may bring two compounds of one name together, and the merge must not fail on it.
        try await database.createIndex("property_compounds_community", on: "property_compounds", columns: ["community_code", "name"])

        try await database.schema("property_compound_buildings")
            .field("building_id", .uuid, .identifier(auto: false), .references("buildings", "id"))
            .field("compound_id", .uuid, .required, .references("property_compounds", "id"))
            .create()
        try await database.createIndex("property_compound_buildings_compound", on: "property_compound_buildings", columns: ["compound_id"])

        try await database.schema("property_companies")
            .id()
            .field("name", .string, .required)
            .field("credit_code", .string, .required)
            .field("department_code", .string, .required)
            .field("account_id", .uuid)
            .field("contact_name", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "credit_code")
            .unique(on: "department_code")
            .create()

        try await database.schema("property_contracts")
            .id()
            .field("compound_id", .uuid, .required, .references("property_compounds", "id"))
            .field("company_id", .uuid, .required, .references("property_companies", "id"))
            .field("community_code", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("fee", .double, .required)
            .field("services", .string, .required)
            .field("staff", .int)
            .field("room_area", .double)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("property_contracts_compound", on: "property_contracts", columns: ["compound_id", "ends_on"])
        try await database.createIndex("property_contracts_company", on: "property_contracts", columns: ["company_id"])
        try await database.createIndex("property_contracts_community", on: "property_contracts", columns: ["community_code"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["property_contracts", "property_companies", "property_compound_buildings", "property_compounds"] { try await database.schema(t).delete() }
    }
}
