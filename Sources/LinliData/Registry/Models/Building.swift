import FluentKit
import Foundation

/// A building (楼栋) in a grid, with its point location.
public final class Building: Model, @unchecked Sendable {
    public static let schema = "buildings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "grid_id") public var grid: Division
    /// The grid's code, kept on the row so that scoping is a prefix range on one indexed column.
    @Field(key: "grid_code") public var gridCode: String
    /// e.g. 凤凰花园12幢.
    @Field(key: "name") public var name: String
    @Field(key: "address") public var address: String
    @Field(key: "latitude") public var latitude: Double
    @Field(key: "longitude") public var longitude: Double
    @OptionalField(key: "floors") public var floors: Int?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A household (户) living in a building.
public final class Household: Model, @unchecked Sendable {
    public static let schema = "households"

    @ID(key: .id) public var id: UUID?
    /// 户号: unique in the district.
    @Field(key: "number") public var number: String
    @Parent(key: "building_id") public var building: Building
    @Field(key: "grid_code") public var gridCode: String
    /// e.g. 2单元301室.
    @Field(key: "room") public var room: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
