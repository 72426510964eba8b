import FluentKit
import Foundation

/// A person on the registry (人口基础信息). ID and phone numbers are stored only encrypted, with an
/// HMAC blind index for exact lookup and a masked form for lists.
public final class Resident: Model, @unchecked Sendable {
    public static let schema = "residents"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// Full pinyin without tones or spaces (zhangsan), for search.
    @Field(key: "name_pinyin") public var namePinyin: String
    /// Pinyin initials (zs), for search.
    @Field(key: "name_initials") public var nameInitials: String
    @Field(key: "id_cipher") public var idCipher: Data
    @Field(key: "id_index") public var idIndex: String
    @Field(key: "id_masked") public var idMasked: String
    /// YYYY-MM-DD, derived from the ID number.
    @Field(key: "birth_date") public var birthDate: String
    @Field(key: "sex") public var sex: String
    @OptionalField(key: "phone_cipher") public var phoneCipher: Data?
    @OptionalField(key: "phone_masked") public var phoneMasked: String?
    @Parent(key: "household_id") public var household: Household
    @Field(key: "relation") public var relation: String
    @Field(key: "residence_status") public var residenceStatus: String
    @Field(key: "life_status") public var lifeStatus: String
    @Field(key: "grid_code") public var gridCode: String
    /// The recorded tags, comma-separated, for display; `resident_tags` holds them for filtering.
    @Field(key: "tags") public var tags: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// One row per recorded tag of a resident, indexed by tag.
public final class ResidentTagRow: Model, @unchecked Sendable {
    public static let schema = "resident_tags"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "resident_id") public var resident: Resident
    @Field(key: "tag") public var tag: String

    public init() {}
}

/// An entry in a person's history: birth, moves, death, updates. Never changed once written.
public final class ResidentEvent: Model, @unchecked Sendable {
    public static let schema = "resident_events"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "resident_id") public var resident: Resident
    @Field(key: "kind") public var kind: String
    /// The day it happened (YYYY-MM-DD), which may be earlier than when it was recorded.
    @Field(key: "occurred_on") public var occurredOn: String
    @OptionalField(key: "from_household_id") public var fromHouseholdID: UUID?
    @OptionalField(key: "to_household_id") public var toHouseholdID: UUID?
    /// What changed, as JSON: field names, and old and new values of fields that are not personal numbers.
    @OptionalField(key: "changes") public var changes: String?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}
