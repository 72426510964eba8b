import FluentKit
import LinliCore
import LinliData
import Vapor

/// 社区党建: the party organizations of the district in their tree (街道社会工作党委, 社区党委/党总支/党支部, 党小组 and
/// the four kinds of 功能型党小组), members as registry residents (the 党员 tag follows the roll; the roll is
/// `party.members`' alone and every read is audited), 在职党员进社区 (报到), the 三级党员服务中心 in facilities of the
/// register (listed on the portal), brand projects, and members' service as volunteer activities marked so.
struct PartyCapability: Capability {
    let name = "party"
    var grants: [Role: Set<Permission>] { PartyPermissions.grants }
    let audit: (any AuditAction.Type)? = PartyAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(32, CreateParty()), NumberedMigration(36, CreatePartyTallies()), NumberedMigration(37, CreatePartyServiceIndexes())] }

    func routes(_ routes: CapabilityRoutes) throws {
        PartyAPI().boot(routes.api)
        PartyPages().boot(routes.pages)
        PartyMemberPages().boot(routes.pages)
        PartyCentrePages().boot(routes.pages)
        PartyPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { PartyDemo() }
    var indicators: [IndicatorDefinition] { PartyIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { PartyIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "社区党建", href: "/console/party", needs: .partyRead, group: .party)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/party-centres\">党员服务中心</a></li>"]) }
        guard user.may(.partyRead) else { return HomeContribution() }
        let f = try await req.party.memberFigures(in: req.registryScope)
        var todo: [Markup] = []
        if user.may(.partyMembers), f.expected > f.reported {
            todo.append("""
                <section aria-labelledby="party-h"><h2 id="party-h">社区党建</h2>
                <div class="tiles">\(HomePage.todoTile("未到居住社区报到的在职党员", f.expected - f.reported, "/console/party/members?reported=false", "yellow"))</div></section>
                """)
        }
        return HomeContribution(todo: todo,
                                figures: [HomePage.figure("党员（在职党员报到率）", "\(f.members)（\(PartyPages.percent(f.reported, f.expected))）")],
                                links: ["<li><a href=\"/console/party\">社区党建（党组织、党员、服务中心、党建品牌）</a></li>"])
    }
}

extension PartyCapability {
    /// Organizations and centres follow their division; members have no code of their own (they live where the registry says).
    /// The tally is rebuilt from the roll in the boundary change's transaction, after the residents and organizations moved.
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("party_orgs", "division_code"), DivisionColumn("party_centres", "division_code"),
         DivisionColumn("party_tallies", "community_code", .derived(by: "party_members")),
         DivisionColumn("party_tallies", "org_community_code", .derived(by: "party_members"))]
    }
}
