import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// The street's work committee (made by the street officer) and a branch of the worker's community under it.
    func partyTree() async throws -> (committee: String, branch: String) {
        let wc = try await call(.POST, "/api/v1/party/orgs", json: ["name": "测试街道社会工作党委", "kind": "work_committee", "division_code": "321271002000"], as: .street)
        #expect(wc.status == .created, "\(wc.text)")
        let committee = try #require(wc.json["id"].string)
        let br = try await call(.POST, "/api/v1/party/orgs", json: ["name": "测试社区党支部", "kind": "branch", "parent_id": committee, "division_code": "321271002001"])
        #expect(br.status == .created, "\(br.text)")
        return (committee, try #require(br.json["id"].string))
    }

    /// An adult on the roll of a grid, without the 党员 tag the demo district may have given them.
    func partyResident(skip: Int = 0, grid: String = "321271002001") async throws -> UUID {
        let row = try #require(try await sql().raw("""
            SELECT id FROM residents WHERE grid_code LIKE \(bind: grid + "%") AND life_status = 'active' AND birth_date < '1990-01-01'
            ORDER BY id LIMIT 1 OFFSET \(unsafeRaw: String(skip))
            """).first())
        let id = try row.decode(column: "id", as: UUID.self)
        try await sql().raw("UPDATE residents SET tags = '' WHERE id = \(bind: id)").run()
        try await sql().raw("DELETE FROM resident_tags WHERE resident_id = \(bind: id)").run()
        linli.residentCache?.remove(id)
        return id
    }

    func partyTags(_ id: UUID) async throws -> String {
        try #require(try await sql().raw("SELECT tags FROM residents WHERE id = \(bind: id)").first()).decode(column: "tags", as: String.self)
    }
}

private func fields(_ r: APIResponse) -> [String] { r.json["errors"].array.compactMap { $0["field"].string } }

@Suite("社区党建: organizations, members, centres and brands through the API")
struct PartyTests {
    @Test("a member is a registry resident in one organization: the 党员 tag follows the record, a second record is 409, a stranger 422, nothing written")
    func members() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident()
            let before = try await app.rowCount("party_members")
            let add = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"])
            #expect(add.status == .created, "\(add.text)")
            #expect(add.json["org_name"].string == "测试社区党支部" && (add.json["expected_to_report"].raw as? Bool) == false)
            #expect(try await app.partyTags(person) == "party_member")
            #expect(try await app.rowCount("audit_log WHERE action = 'party.member.add'") == 1)
            let branch = try await app.call(.GET, "/api/v1/party/orgs/\(tree.branch)")
            #expect(branch.status == .ok && branch.json["org"]["members"].int == 1)

            // The same person again, even in an organization elsewhere: 409, nothing written.
            let again = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "outside_org": "某局机关党支部", "joined_on": "2010-07-01"])
            #expect(again.status == .conflict && again.isProblem && fields(again) == ["resident_id"], "\(again.text)")
            // Not a resident of the registry; two organizations at once; joined in the future; a check character wrong in the date.
            let stranger = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": UUID().uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"])
            #expect(stranger.status == .unprocessableEntity && fields(stranger) == ["resident_id"] && stranger.text.contains("请先登记"), "\(stranger.text)")
            let other = try await app.partyResident(skip: 1)
            let both = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": other.uuidString, "org_id": tree.branch, "outside_org": "某单位党支部",
                                                                                 "joined_on": "2010-07-01"])
            #expect(both.status == .unprocessableEntity && fields(both) == ["org_id"], "\(both.text)")
            let future = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": other.uuidString, "org_id": tree.branch, "joined_on": "2099-01-01"])
            #expect(future.status == .unprocessableEntity && fields(future) == ["joined_on"])
            // A resident of another community is outside the worker's area.
            let elsewhere = try await app.partyResident(grid: "321271003001")
            let outside = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": elsewhere.uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"])
            #expect(outside.status == .unprocessableEntity && fields(outside) == ["resident_id"])
            #expect(try await app.rowCount("party_members") == before + 1)
            #expect(try await app.partyTags(other) == "")
            #expect(try await app.partyTags(elsewhere) == "")

            // 组织关系接转 to an organization elsewhere with 报到: a stale version is 409; then the roll shows it.
            let id = try #require(add.json["id"].string)
            let stale = try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["outside_org": "泰州市教育局机关党支部", "reported_on": "2026-03-01", "version": 7])
            #expect(stale.status == .conflict, "\(stale.text)")
            let moved = try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["outside_org": "泰州市教育局机关党支部", "reported_on": "2026-03-01", "version": 1])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect((moved.json["expected_to_report"].raw as? Bool) == true && moved.json["reported_on"].string == "2026-03-01" && moved.json["version"].int == 2)
            #expect(try await app.call(.GET, "/api/v1/party/orgs/\(tree.branch)").json["org"]["members"].int == 0)
            let figures = try await app.call(.GET, "/api/v1/party/figures")
            #expect(figures.status == .ok && figures.json["expected_to_report"].int == 1 && figures.json["reported"].int == 1, "\(figures.text)")

            // 转出 clears the tag, audited with the reason.
            let gone = try await app.call(.POST, "/api/v1/party/members/\(id)/remove", json: ["reason": "组织关系转出", "version": 2])
            #expect(gone.status == .noContent, "\(gone.text)")
            #expect(try await app.partyTags(person) == "")
            #expect(try await app.rowCount("party_members") == before)
            #expect(try await app.rowCount("audit_log WHERE action = 'party.member.remove'") == 1)
        }
    }

    @Test("the roll is party.members' alone and every read is audited; grid workers see the tree with secretaries masked; another area's member is 404")
    func sensitivity() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident(grid: "321271002001001")
            let add = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2001-07-01"])
            #expect(add.status == .created, "\(add.text)")
            let id = try #require(add.json["id"].string)
            let name = try #require(add.json["name"].string)
            let set = try await app.call(.PATCH, "/api/v1/party/orgs/\(tree.branch)", json: ["secretary_member_id": id, "version": 1])
            #expect(set.status == .ok && set.json["secretary_name"].string == name, "\(set.text)")

            let lists = try await app.rowCount("audit_log WHERE action = 'party.member.list'")
            let roll = try await app.call(.GET, "/api/v1/party/members")
            #expect(roll.status == .ok && roll.json["items"].array.contains { $0["name"].string == name })
            #expect(try await app.rowCount("audit_log WHERE action = 'party.member.list'") == lists + 1)
            let view = try await app.call(.GET, "/api/v1/party/members/\(id)")
            #expect(view.status == .ok && view.json["name"].string == name)
            #expect(try await app.rowCount("audit_log WHERE action = 'party.member.view'") == 1)

            for user in [TestUser.grid, .dept, .resident] {
                let r = try await app.call(.GET, "/api/v1/party/members", as: user)
                #expect(r.status == .forbidden, "\(user): \(r.status)")
            }
            let orgs = try await app.call(.GET, "/api/v1/party/orgs", as: .grid)
            #expect(orgs.status == .ok)
            let seen = try #require(orgs.json.array.first { $0["id"].string == tree.branch })
            #expect(seen["secretary_name"].string == Masking.name(name) && seen["secretary_name"].string != name)
            // The registry's 党员 tag is shown to the roll's readers only, and no one else may filter by it.
            let asWorker = try await app.call(.GET, "/api/v1/residents/\(person)")
            #expect(asWorker.status == .ok && asWorker.json["tags"].strings.contains("party_member"), "\(asWorker.text)")
            let asGrid = try await app.call(.GET, "/api/v1/residents/\(person)", as: .grid)
            #expect(asGrid.status == .ok && !asGrid.json["tags"].strings.contains("party_member"), "\(asGrid.text)")
            #expect(try await app.call(.GET, "/api/v1/residents?tag=party_member", as: .grid).status == .forbidden)
            let page = try await app.page("/console/residents/\(person)", as: .grid)
            let tagsShown = try #require(page.visibleText.components(separatedBy: "人群标签").dropFirst().first?.prefix(40), "\(page.visibleText)")
            #expect(page.status == .ok && !tagsShown.contains("党员"), "\(tagsShown)")
            // The history entry the registration wrote is the roll's readers' too.
            let history = try await app.call(.GET, "/api/v1/residents/\(person)/events")
            #expect(history.status == .ok && history.text.contains("party_member"))
            let gridHistory = try await app.call(.GET, "/api/v1/residents/\(person)/events", as: .grid)
            #expect(gridHistory.status == .ok && !gridHistory.text.contains("party_member") && !gridHistory.text.contains("党员"), "\(gridHistory.text)")
            // Another community's worker finds neither the member nor the branch.
            #expect(try await app.call(.GET, "/api/v1/party/members/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/party/orgs/\(tree.branch)", as: .otherWorker).status == .notFound)
        }
    }

    @Test("organizations keep their tree: a branch under a group, a committee at a community, a group of another community are refused at their fields")
    func tree() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let group = try await app.call(.POST, "/api/v1/party/orgs", json: ["name": "法律服务党小组", "kind": "group", "functional_kind": "professional", "parent_id": tree.branch])
            #expect(group.status == .created && group.json["division_code"].string == "321271002001", "\(group.text)")
            let gid = try #require(group.json["id"].string)
            let before = try await app.rowCount("party_orgs")
            let underGroup = try await app.call(.POST, "/api/v1/party/orgs", json: ["name": "错误支部", "kind": "branch", "parent_id": gid, "division_code": "321271002001"])
            #expect(underGroup.status == .unprocessableEntity && fields(underGroup) == ["parent_id"], "\(underGroup.text)")
            let wcAtCommunity = try await app.call(.POST, "/api/v1/party/orgs", json: ["name": "错误党委", "kind": "work_committee", "division_code": "321271002001"])
            #expect(wcAtCommunity.status == .unprocessableEntity && fields(wcAtCommunity) == ["division_code"])
            let badKind = try await app.call(.POST, "/api/v1/party/orgs", json: ["name": "党小组", "kind": "cell", "parent_id": tree.branch])
            #expect(badKind.status == .unprocessableEntity && fields(badKind) == ["kind"])
            #expect(try await app.rowCount("party_orgs") == before)
            // The functional groups count in the figures.
            #expect(try await app.call(.GET, "/api/v1/party/figures").json["functional_groups"].int == 1)
        }
    }

    @Test("a service centre in a facility of the register, listed on the portal without signing in with the members on duty masked; one centre per facility")
    func centres() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident()
            let member = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2001-07-01"])
            let memberID = try #require(member.json["id"].string), name = try #require(member.json["name"].string)
            let facility = UUID()
            try await app.sql().raw("""
                INSERT INTO facilities (id, kind, name, community_code, address, source, version, updated_at)
                VALUES (\(bind: facility), 'community_station', '测试社区服务站', '321271002001', '测试路1号', 'register', 1, 0)
                """).run()
            let body: [String: Any] = ["facility_id": facility.uuidString, "level": "community", "name": "测试社区党员服务站", "services": ["education", "dues"],
                                       "opening_hours": "周一至周五 08:30-17:00", "duty_member_ids": [memberID]]
            let made = try await app.call(.POST, "/api/v1/party/centres", json: body)
            #expect(made.status == .created && made.json["on_duty"].array.map(\.string) == [name], "\(made.text)")
            let twice = try await app.call(.POST, "/api/v1/party/centres", json: body)
            #expect(twice.status == .conflict && fields(twice) == ["facility_id"])
            var bad = body
            bad["opening_hours"] = "随时"; bad["services"] = ["parade"]
            let refused = try await app.call(.POST, "/api/v1/party/centres", json: bad)
            #expect(refused.status == .unprocessableEntity && fields(refused) == ["services"])
            #expect(try await app.rowCount("party_centres") == 1)

            let portal = try await app.page("/notices/party-centres", as: .anonymous)
            #expect(portal.status == .ok)
            #expect(portal.visibleText.contains("测试社区党员服务站") && portal.visibleText.contains("测试路1号") && portal.visibleText.contains(Masking.name(name)))
            #expect(!portal.visibleText.contains(name))
        }
    }

    @Test("a brand project of an organization; a volunteer activity marked as its party-member service counts its verified hours for the member")
    func service() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident()
            let member = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2001-07-01"])
            let memberID = try #require(member.json["id"].string)
            let brand = try await app.call(.POST, "/api/v1/party/brands", json: ["org_id": tree.branch, "name": "红色楼道", "summary": "党员亮身份、楼道包干", "started_on": "2025-03-01"])
            #expect(brand.status == .created, "\(brand.text)")
            let brandID = try #require(brand.json["id"].string)
            let future = try await app.call(.POST, "/api/v1/party/brands", json: ["org_id": tree.branch, "name": "未来", "summary": "x", "started_on": "2099-01-01"])
            #expect(future.status == .unprocessableEntity && fields(future) == ["started_on"])

            // A volunteer activity with 3 verified hours for the member, written as the volunteers' workflow leaves them.
            let volunteer = UUID(), activity = UUID(), today = app.linli.today().description
            try await app.sql().raw("""
                INSERT INTO volunteers (id, resident_id, community_code, state, skills, service_areas, availability, registered_on, minutes, registered_via, version,
                                        created_by, created_at, updated_at)
                VALUES (\(bind: volunteer), \(bind: person), '321271002001', 'signed', '', '', '', \(bind: today), 180, 'console', 1, 'test', 0, 0)
                """).run()
            try await app.sql().raw("""
                INSERT INTO volunteer_activities (id, community_code, title, place, skills, starts_at, ends_at, places, taken, code, created_by, created_at)
                VALUES (\(bind: activity), '321271002001', '楼道清洁', '1号楼', '', 0, 10800, 10, 1, 'A1', 'test', 0)
                """).run()
            try await app.sql().raw("""
                INSERT INTO volunteer_hours (id, volunteer_id, community_code, activity_id, kind, minutes, served_on, recorded_by, created_at)
                VALUES (\(bind: UUID()), \(bind: volunteer), '321271002001', \(bind: activity), 'verified', 180, \(bind: today), 'test', 0)
                """).run()
            #expect(try await app.call(.GET, "/api/v1/party/members/\(memberID)").json["service_hours_this_year"].double == 0)
            let mark = try await app.call(.POST, "/api/v1/party/activities/\(activity)/mark", json: ["brand_id": brandID])
            #expect(mark.status == .noContent, "\(mark.text)")
            #expect(try await app.call(.GET, "/api/v1/party/members/\(memberID)").json["service_hours_this_year"].double == 3)
            let brands = try await app.call(.GET, "/api/v1/party/brands").json.array
            let b = try #require(brands.first { $0["id"].string == brandID })
            #expect(b["activities_this_year"].int == 1 && b["service_hours_this_year"].double == 3)
            let f = try await app.call(.GET, "/api/v1/party/figures")
            #expect(f.json["served_this_year"].int == 1 && f.json["service_hours_this_year"].double == 3)
            // Another area's activity is not found.
            #expect(try await app.call(.POST, "/api/v1/party/activities/\(activity)/mark", json: [:], as: .otherWorker).status == .notFound)
        }
    }
}
