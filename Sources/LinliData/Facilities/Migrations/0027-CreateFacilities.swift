import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 设施与服务圈. `facilities` the register of every kind (care's facilities are rows of it with the same id;
/// `care_facilities` keeps only their floor area and beds). `facility_settings` the district's one row of radii
/// and detour factor. `facility_coverage` the snapshot per community and kind (and per circle: `circle5` …),
/// `facility_uncovered` the buildings of a community out of reach of a kind — both rewritten by a refresh,
/// read by the pages. Times Unix seconds.
public struct CreateFacilities: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("facilities")
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("community_code", .string, .required)
            .field("address", .string, .required)
            // Null only for records copied from elsewhere without a point ("位置未填").
            .field("latitude", .double)
            .field("longitude", .double)
            .field("opening_hours", .string)
            .field("operator_name", .string)
            // Who keeps the row: `register`, or `care` for the care capability's facilities.
            .field("source", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("facilities_community", on: "facilities", columns: ["community_code", "kind", "name"])
        try await database.createIndex("facilities_kind", on: "facilities", columns: ["kind", "community_code"])

        try await database.schema("facility_settings")
            .field("id", .int, .identifier(auto: false))
            .field("detour", .double, .required)
            .field("radii", .string, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await SQLHelpers.sql(database).insert(into: "facility_settings").columns("id", "detour", "radii", "version", "updated_by", "updated_at")
            .values(SQLBind(1), SQLBind(FacilitySettings.defaultDetour), SQLBind("{}"), SQLBind(1), SQLBind("system"), SQLBind(Int64(0))).run()

        try await database.schema("facility_coverage")
            .field("community_code", .string, .required)
            .field("kind", .string, .required)
            .field("buildings", .int, .required)
            .field("buildings_covered", .int, .required)
            .field("residents", .int, .required)
            .field("residents_covered", .int, .required)
            .field("computed_at", .int64, .required)
            .unique(on: "community_code", "kind")
            .create()
        try await database.createIndex("facility_coverage_kind", on: "facility_coverage", columns: ["kind", "community_code"])

        try await database.schema("facility_uncovered")
            .field("community_code", .string, .required)
            .field("kind", .string, .required)
            .field("building_id", .uuid, .required)
            .field("residents", .int, .required)
            // Metres to the nearest facility of the kind; null when none within 5 km.
            .field("nearest_m", .int)
            .create()
        try await database.createIndex("facility_uncovered_community", on: "facility_uncovered", columns: ["community_code", "kind"])

        try await copyCareFacilities(on: database)
    }

    /// Every care facility becomes a register row with the same id; its point is the community's first building's
    /// (by grid, then name) so it is on the map at once, to be corrected in the register.
    func copyCareFacilities(on database: any Database) async throws {
        let sql = SQLHelpers.sql(database)
        let rows = try await sql.select().columns("id", "name", "kind", "community_code", "address").from("care_facilities").all()
        var first: [String: (Double, Double)?] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let community = try row.decode(column: "community_code", as: String.self)
            let careKind = try row.decode(column: "kind", as: String.self)
            if first[community] == nil {
                let b = try await sql.select().columns("latitude", "longitude").from("buildings")
                    .where("grid_code", .greaterThanOrEqual, SQLBind(community)).where("grid_code", .lessThan, SQLBind(community + "~"))
                    .orderBy("grid_code").orderBy("name").limit(1).first()
                first[community] = try b.map { (try $0.decode(column: "latitude", as: Double.self), try $0.decode(column: "longitude", as: Double.self)) }
            }
            let point = first[community] ?? nil
            try await sql.insert(into: "facilities")
                .columns("id", "kind", "name", "community_code", "address", "latitude", "longitude", "opening_hours", "operator_name", "source", "version", "updated_at")
                .values(SQLBind(id), SQLBind(FacilityKind.ofCare(careKind).rawValue), SQLBind(try row.decode(column: "name", as: String.self)),
                        SQLBind(community), SQLBind(try row.decode(column: "address", as: String?.self) ?? ""), SQLBind(point?.0), SQLBind(point?.1),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind("care"), SQLBind(1), SQLBind(Int64(Date().timeIntervalSince1970))).run()
        }
    }

    public func revert(on database: any Database) async throws {
        for t in ["facility_uncovered", "facility_coverage", "facility_settings", "facilities"] { try await database.schema(t).delete() }
    }
}

extension FacilityKind {
    /// The register's kind of a care facility (`CareFacilityKind`'s raw value).
    public static func ofCare(_ raw: String) -> FacilityKind {
        switch raw {
        case "home_care_station": return .elderlyStation
        case "institution": return .careHome
        default: return .dayCare
        }
    }
}
