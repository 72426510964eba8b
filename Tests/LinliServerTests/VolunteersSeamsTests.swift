import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Where the volunteers meet the social organizations and the love supermarket: activities done under a
/// purchased-service project (listed on its page), and a resident's own points on the portal.
@Suite("志愿者 with 社会组织 and 爱心超市", .serialized)
struct VolunteersSeamsTests {
    @Test("an activity under a project: the project names its organization, checked in the caller's area; the project page lists it")
    func activityUnderProject() async throws {
        try await withTestApp(residents: 800) { app in
            let org = try await app.filedOrganization()
            let project = try #require(try await app.orgProject(org.id).json["id"].string)
            let filed = try await app.call(.POST, "/api/v1/organizations", json: [
                "name": "东河社区邻里互助会", "kind": "community", "field": "volunteer", "legal_person": "陈立新", "phone": "13812345678",
                "founded_on": "2021-03-01", "registered_on": "2021-04-01", "division_code": "321271003001",
            ], as: .otherWorker)
            #expect(filed.status == .created, "\(filed.text)")
            let other = (id: try #require(filed.json["id"].string), version: 1)
            let begin = app.nowSeconds + 86_400
            func publish(_ extra: [String: Any], as user: TestUser = .worker) async throws -> APIResponse {
                var body: [String: Any] = ["title": "高龄老人助浴服务", "place": "寺巷社区日间照料中心", "starts_at": begin, "ends_at": begin + 7200, "places": 4]
                for (k, v) in extra { body[k] = v }
                return try await app.call(.POST, "/api/v1/volunteers/activities", json: body, as: user)
            }
            // Unknown ids, another area's organization, a project not of the organization named: refused at the field, nothing written.
            // Times and hours at the limits of their type: refused at their fields, the server still answering.
            let farOff = try await app.call(.POST, "/api/v1/volunteers/activities", json: ["title": "x", "place": "y", "starts_at": Int64.min, "ends_at": 0, "places": 1])
            #expect(farOff.status == .unprocessableEntity && farOff.json.errorFields.contains("starts_at"), "\(farOff.text)")
            let huge = try await app.call(.POST, "/api/v1/volunteers/signups/\(UUID())/verify", json: ["hours": 1e300])
            #expect(huge.status == .unprocessableEntity && huge.json.errorFields == ["hours"], "\(huge.text)")
            let unknownProject = try await publish(["project_id": UUID().uuidString])
            #expect(unknownProject.status == .unprocessableEntity && unknownProject.json.errorFields == ["project_id"], "\(unknownProject.text)")
            let elsewhere = try await publish(["organization_id": other.id])
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.json.errorFields == ["organization_id"], "\(elsewhere.text)")
            let mismatch = try await publish(["organization_id": other.id, "project_id": project])
            #expect(mismatch.status == .unprocessableEntity && mismatch.json.errorFields.contains("project_id"), "\(mismatch.text)")
            #expect(try await app.rowCount("volunteer_activities") == 0)

            let done = try await publish(["project_id": project])
            #expect(done.status == .created, "\(done.text)")
            let row = try #require(try await app.sql().raw("SELECT organization_id, project_id FROM volunteer_activities").first())
            #expect(try row.decode(column: "organization_id", as: UUID.self).uuidString == org.id.uppercased())
            let page = try await app.page("/console/organizations/projects/\(project)", as: .district)
            #expect(page.status == .ok && page.text.contains("高龄老人助浴服务") && !page.text.contains("本项目下尚无志愿服务活动"), "\(page.status)")
            // The console's form offers the project in its term.
            let form = try await app.page("/console/volunteers/activities")
            #expect(form.status == .ok && form.text.contains("name=\"project_id\"") && form.text.contains("value=\"\(project.uppercased())\""), "\(form.status)")
            #expect(form.text.contains("name=\"organization_id\"") && form.text.contains("寺巷社区夕阳红志愿服务队"))
            // A team of the organization through the console; without the organization it is refused at its field.
            let missing = try await app.submit("/console/volunteers/teams", [("name", "夕阳红助老服务队"), ("kind", "organization"), ("organization_id", "")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("社会组织服务队请选择所属社会组织"), "\(missing.status)")
            let team = try await app.submit("/console/volunteers/teams", [("name", "夕阳红助老服务队"), ("kind", "organization"), ("organization_id", org.id)])
            #expect(team.status == .seeOther, "\(team.text)")
            let teamRow = try #require(try await app.sql().raw("SELECT organization_id FROM volunteer_teams WHERE name = '夕阳红助老服务队'").first())
            #expect(try teamRow.decode(column: "organization_id", as: UUID.self).uuidString == org.id.uppercased())
        }
    }

    @Test("a resident's own points: asked to link first; once linked, the balance and the entries of their verified hours")
    func ownPoints() async throws {
        try await withTestApp(residents: 800, adjust: RequestsAPITests.longSessions) { app in
            let unlinked = try await app.page("/points", as: .resident)
            #expect(unlinked.status == .ok && unlinked.text.contains("实名核验"), "\(unlinked.status)")
            #expect(try await app.page("/points", as: .worker).status == .forbidden)
            let residentID = try #require(try await app.volunteerResidents(1).first)
            let person = try await app.resident(residentID)
            let link = try await app.call(.POST, "/api/v1/volunteers/me/link", json: ["name": person.name, "id_number": person.idNumber], as: .resident)
            #expect(link.status == .ok, "\(link.text)")
            let volunteer = try await app.signedVolunteer(residentID)
            let a = try await app.volunteerActivity(start: 600, hours: 2, places: 2)
            let s = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": volunteer])
            let signup = try #require(s.json["id"].string)
            app.test.clock.advance(3 * 3600)
            let verified = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/verify", json: ["hours": 1.5])
            #expect(verified.status == .ok, "\(verified.text)")
            let mine = try await app.page("/points", as: .resident)
            #expect(mine.status == .ok && mine.text.contains("爱心积分余额：<b>15</b>") && mine.text.contains("志愿服务"), "\(mine.status)")
            #expect(!mine.text.contains(person.name), "the page shows the full name")
        }
    }
}

@Suite("志愿者: an activity called off", .serialized)
struct VolunteerActivityCancelTests {
    @Test("cancelled before it starts with a reason: no more sign-ups or check-ins, the month no longer counts it; started or twice: 409")
    func cancel() async throws {
        try await withTestApp(residents: 800, adjust: RequestsAPITests.longSessions) { app in
            let residents = try await app.volunteerResidents(2)
            let first = try await app.signedVolunteer(residents[0]), second = try await app.signedVolunteer(residents[1])
            let a = try await app.volunteerActivity(start: 3600, hours: 2, places: 5)
            #expect(try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": first]).status == .created)
            let counted = "volunteer_monthly WHERE activities = 1"
            #expect(try await app.rowCount(counted) == 1)
            let noReason = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/cancel", json: ["reason": "  "])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"], "\(noReason.text)")
            #expect(try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/cancel", json: ["reason": "暴雨预警"], as: .otherWorker).status == .notFound)
            // Through the console's form.
            let done = try await app.submit("/console/volunteers/activities/\(a.id)/cancel", [("reason", "暴雨预警，改期举行")])
            #expect(done.status == .seeOther, "\(done.text)")
            let page = try await app.page("/console/volunteers/activities/\(a.id)")
            #expect(page.status == .ok && page.text.contains("取消：暴雨预警，改期举行") && !page.text.contains("id=\"activity-code\""), "\(page.status)")
            #expect(try await app.rowCount(counted) == 0)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.activity.cancel'") == 1)
            let again = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/cancel", json: ["reason": "重复"])
            #expect(again.status == .conflict, "\(again.text)")
            let late = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": second])
            #expect(late.status == .conflict, "\(late.text)")
            app.test.clock.advance(3600)
            let signup = try #require(try await app.sql().raw("SELECT id FROM volunteer_signups").first()?.decode(column: "id", as: UUID.self))
            #expect(try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/check").status == .conflict)
            // One that has started cannot be called off.
            let b = try await app.volunteerActivity(start: 60, hours: 1, places: 5)
            app.test.clock.advance(120)
            #expect(try await app.call(.POST, "/api/v1/volunteers/activities/\(b.id)/cancel", json: ["reason": "人数不足"]).status == .conflict)
        }
    }
}
