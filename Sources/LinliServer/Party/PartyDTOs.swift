import Foundation
import LinliCore
import LinliData

struct PartyOrgDTO: Encodable, Sendable {
    var id: UUID
    var parentId: UUID?
    var kind: PartyOrgKind
    var kindLabel: String
    var functionalKind: FunctionalKind?
    var functionalKindLabel: String?
    var name: String
    var divisionCode: String
    var divisionName: String?
    var secretaryMemberId: UUID?
    var secretaryName: String?
    var members: Int
    var version: Int

    init(_ o: PartyOrgRecord, names: Bool) {
        id = o.id; parentId = o.parentId; kind = o.kind; kindLabel = o.kind.label; functionalKind = o.functionalKind; functionalKindLabel = o.functionalKind?.label
        name = o.name; divisionCode = o.divisionCode; divisionName = o.divisionName; secretaryMemberId = o.secretaryMemberId
        secretaryName = o.secretaryName.map { names ? $0 : Masking.name($0) }; members = o.members; version = o.version
    }
}

struct PartyMemberDTO: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var name: String
    var idNumberMasked: String
    var gridCode: String
    var orgId: UUID?
    var orgName: String?
    var outsideOrg: String?
    var joinedOn: String
    var reportedOn: String?
    /// 在职党员: their organization is not their community's, so 报到 is expected where they live.
    var expectedToReport: Bool
    var groups: [PartyOrgDTO]?
    var serviceHoursThisYear: Double?
    var version: Int

    init(_ m: PartyMemberRecord, detail: PartyMemberDetail? = nil) {
        id = m.id; residentId = m.residentId; name = m.name; idNumberMasked = m.idMasked; gridCode = m.gridCode; orgId = m.orgId; orgName = m.orgName
        outsideOrg = m.outsideOrg; joinedOn = m.joinedOn; reportedOn = m.reportedOn; expectedToReport = m.expectedToReport; version = m.version
        groups = detail?.groups.map { PartyOrgDTO($0, names: true) }
        serviceHoursThisYear = detail.map { Double($0.minutesThisYear) / 60 }
    }
}

struct PartyCentreDTO: Encodable, Sendable {
    var id: UUID
    var facilityId: UUID
    var facilityName: String?
    var address: String?
    var level: CentreLevel
    var levelLabel: String
    var divisionCode: String
    var name: String
    var services: [CentreService]
    var serviceLabels: [String]
    var openingHours: String
    var onDuty: [String]
    var version: Int

    init(_ c: PartyCentreRecord) {
        id = c.id; facilityId = c.facilityId; facilityName = c.facilityName; address = c.address; level = c.level; levelLabel = c.level.label
        divisionCode = c.divisionCode; name = c.name; services = c.serviceList; serviceLabels = c.serviceList.map(\.label); openingHours = c.openingHours
        onDuty = c.duty; version = c.version
    }
}

struct PartyBrandDTO: Encodable, Sendable {
    var id: UUID
    var orgId: UUID
    var orgName: String?
    var name: String
    var summary: String
    var startedOn: String
    var results: String?
    var activitiesThisYear: Int
    var serviceHoursThisYear: Double
    var version: Int

    init(_ b: PartyBrandRecord) {
        id = b.id; orgId = b.orgId; orgName = b.orgName; name = b.name; summary = b.summary; startedOn = b.startedOn; results = b.results
        activitiesThisYear = b.activities; serviceHoursThisYear = Double(b.minutes) / 60; version = b.version
    }
}

struct PartyFiguresDTO: Encodable, Sendable {
    var members: Int
    var expectedToReport: Int
    var reported: Int
    var servedThisYear: Int
    var serviceHoursThisYear: Double
    var functionalGroups: Int

    init(_ f: PartyFigures) {
        members = f.members; expectedToReport = f.expected; reported = f.reported; servedThisYear = f.served; serviceHoursThisYear = Double(f.minutes) / 60
        functionalGroups = f.functionalGroups
    }
}
