import Foundation
import LinliCore

/// The part of the registry a worker may see: every division whose code starts with `prefix`.
/// Every registry query takes one, so that scoping happens where the SQL is built.
public struct RegistryScope: Sendable, Equatable {
    public let prefix: String

    public static let everything = RegistryScope(prefix: "")
    /// Matches no code: the scope of a caller who may see no registry data.
    public static let nothing = RegistryScope(prefix: "~")
    public init(division: DivisionCode) { prefix = division.scopePrefix }

    /// From a code that was validated when it was stored (an account's division); anything else sees nothing.
    public init(validatedCode code: String) {
        if let d = try? DivisionCode(code) { prefix = d.scopePrefix } else { prefix = "~" }
    }
    init(prefix: String) { self.prefix = prefix }

    public func contains(code: String) -> Bool { code.hasPrefix(prefix) }
}

/// What the registry's writes can refuse, independent of HTTP.
public enum RegistryError: Error, Sendable {
    /// Nothing with this id in the caller's scope (a record outside the scope is not found either).
    case notFound(String)
    /// The input breaks a rule; every field at fault is named.
    case invalid([FieldError])
    /// The record changed since the caller read it: `current` is its version now.
    case staleVersion(current: Int)
    /// The input collides with a record that exists (a registered ID number, a household number).
    case conflict(FieldError)
    /// The record is in a state where this cannot be done (a workflow step not allowed now).
    case conflictingState(String)
    /// The caller may see the record but not do this to it.
    case forbidden(String)
}

public struct DivisionRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var level: DivisionLevel
    public var kind: CommunityKind?
    public var parentCode: String?
    public var boundary: String?
    public var version: Int
}

public struct BuildingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var gridCode: String
    public var name: String
    public var address: String
    public var latitude: Double
    public var longitude: Double
    public var floors: Int?
    public var version: Int
}

public struct HouseholdRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var buildingId: UUID
    public var buildingName: String
    public var gridCode: String
    public var room: String
    public var version: Int
}

public struct ResidentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var namePinyin: String
    public var idMasked: String
    public var birthDate: String
    public var sex: Sex
    public var phoneMasked: String?
    public var householdId: UUID
    public var householdNumber: String
    public var relation: HouseholdRelation
    public var residenceStatus: ResidenceStatus
    public var lifeStatus: LifeStatus
    public var gridCode: String
    public var tags: String
    public var version: Int

    public var recordedTags: [ResidentTag] {
        tags.split(separator: ",").compactMap { ResidentTag(rawValue: String($0)) }
    }
}

public struct ResidentEventRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: ResidentEventKind
    public var occurredOn: String
    public var fromHouseholdId: UUID?
    public var toHouseholdId: UUID?
    public var changes: String?
    public var note: String?
    public var recordedAt: Date
}

/// One page of a list, with the total count of matches.
public struct ResultPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}

/// Which page of a list: 1-based, at most 100 a page.
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var perPage: Int
    public static let maxPerPage = 100

    public init(page: Int = 1, perPage: Int = 20) {
        self.page = max(1, page)
        self.perPage = min(max(1, perPage), PageRequest.maxPerPage)
    }

    public var offset: Int { (page - 1) * perPage }
}
