import FluentKit
import Foundation

/// A division of the district: the district itself, a 镇/街道, a 村/社区 or a 网格.
public final class Division: Model, @unchecked Sendable {
    public static let schema = "divisions"

    @ID(key: .id) public var id: UUID?
    /// The official code (12 digits, 15 for a grid); the natural key.
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "level") public var level: String
    /// 村 or 社区, for the community level only.
    @OptionalField(key: "kind") public var kind: String?
    @OptionalParent(key: "parent_id") public var parent: Division?
    /// The grid's boundary as a GeoJSON Polygon geometry.
    @OptionalField(key: "boundary") public var boundary: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A functional park (功能园区): an overlay that divisions belong to, not a level of the hierarchy.
public final class Park: Model, @unchecked Sendable {
    public static let schema = "parks"

    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String

    public init() {}
    public init(id: UUID? = nil, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// Membership of a division in a park.
public final class DivisionPark: Model, @unchecked Sendable {
    public static let schema = "division_parks"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "division_id") public var division: Division
    @Parent(key: "park_id") public var park: Park

    public init() {}
}
