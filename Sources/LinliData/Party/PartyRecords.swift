import Foundation
import LinliCore

/// Who acts on 社区党建: the area, and whether the member roll is theirs to read (`party.members`).
public struct PartyActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayReadMembers: Bool
    public init(audit: AuditActor, scope: RegistryScope, mayReadMembers: Bool) {
        self.audit = audit; self.scope = scope; self.mayReadMembers = mayReadMembers
    }
}

public struct PartyOrgRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var parentId: UUID?
    public var kind: PartyOrgKind
    public var functionalKind: FunctionalKind?
    public var name: String
    public var divisionCode: String
    public var divisionName: String?
    public var secretaryMemberId: UUID?
    public var secretaryName: String?
    public var members: Int
    public var version: Int
}

/// A member with what the registry says of them; `name` is masked unless the reader holds `party.members`.
public struct PartyMemberRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var name: String
    public var idMasked: String
    public var gridCode: String
    public var orgId: UUID?
    public var orgName: String?
    public var orgDivision: String?
    public var outsideOrg: String?
    public var joinedOn: String
    public var reportedOn: String?
    public var version: Int

    /// The community where they live.
    public var communityCode: String { String(gridCode.prefix(12)) }
    /// 在职党员: their organization is not their community's, so they are expected to 报到 where they live.
    public var expectedToReport: Bool { PartyRules.expectedToReport(orgCommunity: orgDivision.map { String($0.prefix(12)) }, livesIn: communityCode) }
}

/// A member's page: the record, the groups joined and the year's party-member service.
public struct PartyMemberDetail: Sendable {
    public var member: PartyMemberRecord
    public var groups: [PartyOrgRecord]
    public var minutesThisYear: Int
}

/// An organization's page: the organization, its children, its members (one page), its brand projects and the
/// year's service of its members.
public struct PartyOrgDetail: Sendable {
    public var org: PartyOrgRecord
    public var parent: PartyOrgRecord?
    public var children: [PartyOrgRecord]
    public var brands: [PartyBrandRecord]
    public var minutesThisYear: Int
    public var servedThisYear: Int
}

public struct PartyCentreRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var facilityId: UUID
    public var facilityName: String?
    public var address: String?
    public var level: CentreLevel
    public var divisionCode: String
    public var name: String
    public var services: String
    public var openingHours: String
    public var version: Int
    /// The members on duty (names, masked for the portal).
    public var duty: [String] = []

    public var serviceList: [CentreService] { CentreService.list(services) }

    enum CodingKeys: String, CodingKey { case id, facilityId, facilityName, address, level, divisionCode, name, services, openingHours, version }
}

public struct PartyBrandRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var orgId: UUID
    public var orgName: String?
    public var name: String
    public var summary: String
    public var startedOn: String
    public var results: String?
    public var version: Int
    /// Party-member service activities of the brand, and their verified minutes.
    public var activities: Int = 0
    public var minutes: Int = 0

    enum CodingKeys: String, CodingKey { case id, orgId, orgName, name, summary, startedOn, results, version }
}

/// The member roll's filter.
public struct PartyMemberFilter: Sendable, Equatable {
    public var orgId: UUID?
    public var groupId: UUID?
    /// Only 在职党员 who have (true) or have not (false) 报到.
    public var reported: Bool?
    public var text: String?
    public init(orgId: UUID? = nil, groupId: UUID? = nil, reported: Bool? = nil, text: String? = nil) {
        self.orgId = orgId; self.groupId = groupId; self.reported = reported; self.text = text
    }
}

/// An area's figures: members living there, 在职党员 expected to 报到 and those who did, members who served this
/// year and their minutes, functional groups.
public struct PartyFigures: Sendable, Equatable {
    public var members = 0, expected = 0, reported = 0, served = 0, minutes = 0, functionalGroups = 0
    public init() {}
}
