import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("物业管理: 四位一体 coordination meetings", .serialized)
struct PropertyCoordinationTests {
    static let four: [String: String] = ["title": "小区停车难协调", "agenda": "地面车位划线；充电桩选址", "held_on": "2026-06-10", "place": "社区议事厅",
                                      "residents_committee": "李红（居委会主任）", "property_manager": "王强（项目经理）", "owners_committee": "赵敏（业委会主任）",
                                      "police": "陈刚（社区民警）"]

    func body(_ drop: [String] = [], _ set: [String: Any] = [:]) -> [String: Any] {
        var b: [String: Any] = Self.four
        for k in drop { b.removeValue(forKey: k) }
        for (k, v) in set { b[k] = v }
        return b
    }

    @Test("the parties follow the compound on the day: an unmanaged compound without a committee sends two; with a company and a committee all four must come; refusals name the party's field and write nothing")
    func parties() async throws {
        try await withTestApp() { app in
            let buildings = try await app.propertyBuildings(6, under: PropertyTests.community)
            let compound = try await app.addedCompound(buildings)
            let path = "/api/v1/property/compounds/\(compound)/coordination"
            let meetingsBefore = try await app.rowCount("deliberation_meetings")

            // Nobody manages it and it has no committee: naming a manager or a committee is refused; the police must come.
            let named = try await app.call(.POST, path, json: body(), as: .worker)
            #expect(named.status == .unprocessableEntity && named.isProblem && Set(named.json.errorFields) == ["property_manager", "owners_committee"], "\(named.text)")
            let noPolice = try await app.call(.POST, path, json: body(["property_manager", "owners_committee", "police"]), as: .worker)
            #expect(noPolice.status == .unprocessableEntity && noPolice.json.errorFields == ["police"] && noPolice.text.contains("社区民警"), "\(noPolice.text)")
            let noDate = try await app.call(.POST, path, json: body(["property_manager", "owners_committee", "held_on"]), as: .worker)
            #expect(noDate.status == .unprocessableEntity && noDate.json.errorFields == ["held_on"], "\(noDate.text)")
            #expect(try await app.rowCount("property_meetings") == 0)
            #expect(try await app.rowCount("deliberation_meetings") == meetingsBefore)
            let two = try await app.call(.POST, path, json: body(["property_manager", "owners_committee"], ["held_on": "2026-03-05"]), as: .worker)
            #expect(two.status == .created && two.json["attended"].int == 2 && two.json["expected"].int == 2, "\(two.text)")

            // A company under contract from 2026-01-01 and a committee in its term.
            let companyId = try #require(try await app.addedCompany()["id"].string)
            let contract = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts",
                                              json: ["company_id": companyId, "starts_on": "2026-01-01", "ends_on": "2028-12-31", "fee": 1.1, "services": ["cleaning"]], as: .worker)
            #expect(contract.status == .created, "\(contract.text)")
            let people = try await PropertyCommitteeTests().residents(5, in: buildings, app)
            let committee = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees",
                                               json: PropertyCommitteeTests().body(people, starts: "2025-06-01", ends: "2028-12-31", filed: "2025-06-20"), as: .worker)
            #expect(committee.status == .created, "\(committee.text)")

            let noOwners = try await app.call(.POST, path, json: body(["owners_committee"]), as: .worker)
            #expect(noOwners.status == .unprocessableEntity && noOwners.json.errorFields == ["owners_committee"] && noOwners.text.contains("业主委员会"), "\(noOwners.text)")
            let noManager = try await app.call(.POST, path, json: body(["property_manager"]), as: .worker)
            #expect(noManager.status == .unprocessableEntity && noManager.json.errorFields == ["property_manager"] && noManager.text.contains("恒泰物业服务有限公司"),
                    "\(noManager.text)")
            // Before the contract the compound had no manager: the day decides, not today.
            let before = try await app.call(.POST, path, json: body([], ["held_on": "2025-10-01"]), as: .worker)
            #expect(before.status == .unprocessableEntity && before.json.errorFields == ["property_manager"], "\(before.text)")
            #expect(try await app.call(.POST, path, json: body(), as: .street).status == .forbidden)
            #expect(try await app.call(.POST, path, json: body(), as: .otherWorker).status == .notFound)
            #expect(try await app.rowCount("property_meetings") == 1)

            let held = try await app.call(.POST, path, json: body(), as: .worker)
            #expect(held.status == .created && held.json["attended"].int == 4 && held.json["expected"].int == 4 && held.json["open_resolutions"].int == 0, "\(held.text)")
            #expect(held.json["parties"].array.map { $0["attendee"].string ?? "" } == ["李红（居委会主任）", "王强（项目经理）", "赵敏（业委会主任）", "陈刚（社区民警）"])
            let meetingId = try #require(held.json["meeting_id"].string)

            // The meeting is the self-government capability's 事务协调会: the company and the committee among its units.
            let meeting = try await app.call(.GET, "/api/v1/deliberation/meetings/\(meetingId)", as: .worker)
            #expect(meeting.status == .ok && meeting.json["meeting"]["kind"].string == "xietiao", "\(meeting.text)")
            #expect(meeting.text.contains("恒泰物业服务有限公司（物业服务企业）：王强") && meeting.text.contains("幸福里业主委员会：赵敏"), "\(meeting.text)")
            let resolution = try await app.call(.POST, "/api/v1/deliberation/meetings/\(meetingId)/resolutions",
                                                json: ["text": "物业7月底前完成地面车位划线", "owner": "恒泰物业", "due_on": "2026-07-31"], as: .worker)
            #expect(resolution.status == .created, "\(resolution.text)")

            let list = try await app.call(.GET, path, as: .grid)
            #expect(list.status == .ok && list.json.array.count == 2, "\(list.text)")
            #expect(list.json.array.first?["held_on"].string == "2026-06-10" && list.json.array.first?["open_resolutions"].int == 1, "\(list.text)")
            #expect(try await app.call(.GET, path, as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, path, as: .resident).status == .forbidden)
        }
    }

    @Test("through the console: the compound page lists the meetings, the form refuses a missing party at its field and without CSRF, a meeting lands on its deliberation page; the street's overview counts it")
    func pages() async throws {
        try await withTestApp() { app in
            let buildings = try await app.propertyBuildings(2, under: PropertyTests.community)
            let compound = try await app.addedCompound(buildings, name: "春晖苑")
            let page = try await app.page("/console/property/\(compound)")
            #expect(page.status == .ok && page.text.contains("四位一体协调会") && page.text.contains("尚未召开协调会")
                    && page.text.contains("/console/property/\(compound)/coordination"), "\(page.text)")
            let streetPage = try await app.page("/console/property/\(compound)", as: .street)
            #expect(streetPage.status == .ok && streetPage.text.contains("尚未召开协调会") && !streetPage.text.contains("召开四位一体协调会"))
            let form = try await app.page("/console/property/\(compound)/coordination")
            #expect(form.status == .ok && form.text.contains("该小区无人管理") && form.text.contains("name=\"police\""), "\(form.text)")
            #expect(try await app.page("/console/property/\(compound)/coordination", as: .street).status == .forbidden)

            let fields = [("title", "春晖苑楼道堆物清理"), ("held_on", "2026-06-12"), ("place", "社区议事厅"), ("agenda", "楼道堆物；消防通道"),
                          ("residents_committee", "李红"), ("police", "陈刚")]
            #expect(try await app.submit("/console/property/\(compound)/coordination", fields, csrf: false).status == .forbidden)
            let missing = try await app.submit("/console/property/\(compound)/coordination", Array(fields.dropLast()))
            #expect(missing.status == .unprocessableEntity && missing.text.contains("请填写参会的社区民警") && missing.text.contains("aria-invalid=\"true\""),
                    "\(missing.text)")
            #expect(try await app.rowCount("property_meetings") == 0)
            let made = try await app.submit("/console/property/\(compound)/coordination", fields)
            #expect(made.status == .seeOther || made.status == .found, "\(made.text)")
            #expect(made.location?.hasPrefix("/console/deliberation/meetings/") == true, "\(String(describing: made.location))")

            let after = try await app.page("/console/property/\(compound)", as: .grid)
            #expect(after.status == .ok && after.text.contains("春晖苑楼道堆物清理") && after.text.contains("2 / 2") && !after.text.contains("尚未召开协调会"))
            let overview = try await app.page("/console/property/coordination", as: .street)
            #expect(overview.status == .ok && overview.text.contains("春晖苑楼道堆物清理") && overview.text.contains("2026年以来 1 次"), "\(overview.text)")
            let district = try await app.page("/console/property/coordination", as: .district)
            #expect(district.status == .ok && district.text.contains("春晖苑"))
            let other = try await app.page("/console/property/coordination", as: .otherWorker)
            #expect(other.status == .ok && !other.text.contains("春晖苑"))
        }
    }
}
