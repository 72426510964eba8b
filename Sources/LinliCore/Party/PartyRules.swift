import Foundation

/// 社区党建's rules: what an organization, a member, a service centre and a brand project must satisfy, the kind of
/// organization a community's membership calls for, and what the indicators count. Pure functions; the registry
/// link, scope, duplicates and versions are the data layer's.

/// An organization as typed.
public struct PartyOrgInput: Sendable, Equatable {
    public var name: String?
    public var kind: PartyOrgKind?
    public var functionalKind: FunctionalKind?
    public var parentId: UUID?
    public var divisionCode: String?
    public var secretaryMemberId: UUID?

    public init(name: String?, kind: PartyOrgKind?, functionalKind: FunctionalKind? = nil, parentId: UUID? = nil, divisionCode: String? = nil,
                secretaryMemberId: UUID? = nil) {
        self.name = name; self.kind = kind; self.functionalKind = functionalKind; self.parentId = parentId; self.divisionCode = divisionCode
        self.secretaryMemberId = secretaryMemberId
    }
}

/// A member as typed: a registry resident, in one organization of the tree or in one elsewhere (its name), with
/// the functional groups joined and whether they have 报到 in the community where they live.
public struct PartyMemberInput: Sendable, Equatable {
    public var residentId: UUID?
    public var orgId: UUID?
    public var outsideOrg: String?
    public var joinedOn: CivilDate?
    public var reportedOn: CivilDate?
    public var groupIds: [UUID]

    public init(residentId: UUID?, orgId: UUID? = nil, outsideOrg: String? = nil, joinedOn: CivilDate?, reportedOn: CivilDate? = nil, groupIds: [UUID] = []) {
        self.residentId = residentId; self.orgId = orgId; self.outsideOrg = outsideOrg; self.joinedOn = joinedOn; self.reportedOn = reportedOn
        self.groupIds = groupIds
    }
}

/// A service centre as typed: a facility of the register, its level, services, hours and the members on duty.
public struct PartyCentreInput: Sendable, Equatable {
    public var facilityId: UUID?
    public var level: CentreLevel?
    public var name: String?
    public var services: [CentreService]
    public var openingHours: String?
    public var dutyMemberIds: [UUID]

    public init(facilityId: UUID?, level: CentreLevel?, name: String?, services: [CentreService], openingHours: String?, dutyMemberIds: [UUID] = []) {
        self.facilityId = facilityId; self.level = level; self.name = name; self.services = services; self.openingHours = openingHours
        self.dutyMemberIds = dutyMemberIds
    }
}

/// A brand project (党建品牌) as typed.
public struct PartyBrandInput: Sendable, Equatable {
    public var orgId: UUID?
    public var name: String?
    public var summary: String?
    public var startedOn: CivilDate?
    public var results: String?

    public init(orgId: UUID?, name: String?, summary: String?, startedOn: CivilDate?, results: String? = nil) {
        self.orgId = orgId; self.name = name; self.summary = summary; self.startedOn = startedOn; self.results = results
    }
}

public enum PartyRules {
    /// 党章: 正式党员三人以上成立支部; 五十人以上设总支; 一百人以上设党委 (as the district applies it to communities).
    public static func kindFor(members: Int) -> PartyOrgKind? {
        switch members {
        case 100...: return .committee
        case 50...: return .generalBranch
        case 3...: return .branch
        default: return nil
        }
    }

    /// 入党 at 18 or older (党章第一条).
    public static let minimumAge = 18

    static func name(_ raw: String?, _ field: String, _ what: String, max: Int, into e: inout FieldErrors) {
        let t = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { e.add(field, "请填写\(what)") } else if t.count > max { e.add(field, "\(what)最多\(max)字") }
    }

    /// An organization: its name, kind, the functional kind only on a group, its parent's kind and the division's
    /// level (a work committee's is a street, every other's a community; a group's the community of its parent).
    public static func check(_ o: PartyOrgInput, parentKind: PartyOrgKind?, parentDivision: String?) -> [FieldError] {
        var e = FieldErrors()
        name(o.name, "name", "组织名称", max: 40, into: &e)
        guard let kind = o.kind else { e.add("kind", "请选择组织类别"); return e.errors }
        if o.functionalKind != nil && kind != .group { e.add("functional_kind", "只有党小组可设为功能型党小组") }
        let level = o.divisionCode.flatMap { try? DivisionCode($0) }?.level
        if kind == .workCommittee {
            if o.parentId != nil { e.add("parent_id", "街道社会工作党委不设上级组织") }
            if level != .street { e.add("division_code", "街道社会工作党委应设在街道") }
        } else {
            if let p = parentKind {
                if !kind.parentKinds.contains(p) {
                    e.add("parent_id", "\(kind.label)的上级应为" + kind.parentKinds.map(\.label).sorted().joined(separator: "或"))
                }
            } else {
                e.add("parent_id", "请选择上级组织")
            }
            if kind == .group {
                if let d = o.divisionCode, let pd = parentDivision, d != pd { e.add("division_code", "党小组与上级组织应在同一社区") }
            } else if level != .community {
                e.add("division_code", "\(kind.label)应设在社区")
            } else if let d = o.divisionCode, let pd = parentDivision, !d.hasPrefix(String(pd.prefix(9))) {
                e.add("division_code", "社区党组织应在上级组织所在的街道")
            }
        }
        return e.errors
    }

    /// A member: the organization (one, inside or outside the tree), the day they joined the party (not before 18,
    /// not in the future) and the day of 报到 (not before joining, not in the future).
    public static func check(_ m: PartyMemberInput, birthDate: CivilDate?, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if m.residentId == nil { e.add("resident_id", "请选择已在人口信息库登记的居民") }
        let outside = m.outsideOrg?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if m.orgId != nil && !outside.isEmpty {
            e.add("org_id", "一名党员只能属于一个党组织：请选择本辖区组织或填写外单位组织，不能同时填写")
        } else if m.orgId == nil && outside.isEmpty {
            e.add("org_id", "请选择所在党组织，或填写外单位党组织名称")
        } else if outside.count > 60 {
            e.add("outside_org", "外单位党组织名称最多60字")
        }
        if let j = m.joinedOn {
            if j > today { e.add("joined_on", "入党日期不能晚于今天") }
            if let b = birthDate, b.age(on: j) < minimumAge { e.add("joined_on", "入党时应年满\(minimumAge)周岁") }
        } else {
            e.add("joined_on", "请填写入党日期")
        }
        if let r = m.reportedOn {
            if r > today { e.add("reported_on", "报到日期不能晚于今天") }
            if let j = m.joinedOn, r < j { e.add("reported_on", "报到日期不能早于入党日期") }
        }
        if Set(m.groupIds).count != m.groupIds.count { e.add("group_ids", "同一党小组不能重复选择") }
        return e.errors
    }

    public static func check(_ c: PartyCentreInput) -> [FieldError] {
        var e = FieldErrors()
        if c.facilityId == nil { e.add("facility_id", "请选择服务中心所在的设施（设施台账）") }
        if c.level == nil { e.add("level", "请选择层级（区、街道、社区）") }
        name(c.name, "name", "服务中心名称", max: 40, into: &e)
        if c.services.isEmpty { e.add("services", "请至少选择一项服务内容") }
        if let h = c.openingHours?.trimmingCharacters(in: .whitespaces), !h.isEmpty {
            if case .failure(let f) = OpeningHours.parse(h) { e.add(f) }
        } else {
            e.add("opening_hours", "请填写开放时间，如“周一至周五 8:30-17:30”")
        }
        if Set(c.dutyMemberIds).count != c.dutyMemberIds.count { e.add("duty_member_ids", "同一党员不能重复排班") }
        return e.errors
    }

    public static func check(_ b: PartyBrandInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if b.orgId == nil { e.add("org_id", "请选择创建品牌的党组织") }
        name(b.name, "name", "品牌名称", max: 40, into: &e)
        name(b.summary, "summary", "品牌简介", max: 500, into: &e)
        if let s = b.startedOn { if s > today { e.add("started_on", "创建日期不能晚于今天") } } else { e.add("started_on", "请填写创建日期") }
        if let r = b.results, r.count > 2000 { e.add("results", "工作成效最多2000字") }
        return e.errors
    }

    /// 在职党员进社区: a member whose organization is not in the community where they live is expected to 报到 there.
    public static func expectedToReport(orgCommunity: String?, livesIn community: String) -> Bool { orgCommunity != community }
}
