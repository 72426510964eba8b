import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("民主协商与网上议事: console and portal pages", .serialized)
struct DeliberationPagesTests {
    @Test("the console: record a meeting (participants by ID number), a resolution and its follow-up; a refusal names the field")
    func console() async throws {
        try await withTestApp(residents: 600) { app in
            let person = try await app.disabilityResident(skip: 0)
            let list = try await app.page("/console/deliberation")
            #expect(list.status == .ok && list.text.contains("记录议事会议") && list.text.contains("逾期未落实的决议"))
            let fields: [(String, String)] = [("community_code", "321271002001"), ("kind", "xietiao"), ("title", "加装电梯协调"), ("agenda", "费用分摊"),
                                              ("held_on", "2026-06-20"), ("place", "议事厅"), ("id_numbers", person.idNumber), ("units", "物业\n业委会"),
                                              ("minutes", "商定分摊办法")]
            let future = try await app.submit("/console/deliberation/meetings", fields.map { $0.0 == "held_on" ? ($0.0, "2026-07-20") : $0 })
            #expect(future.status == .unprocessableEntity && future.text.contains("不能记录会议纪要") && future.text.contains("aria-invalid"))
            #expect(try await app.rowCount("deliberation_meetings") == 0)
            let saved = try await app.submit("/console/deliberation/meetings", fields)
            #expect(saved.status == .seeOther, "\(saved.status) \(saved.text.prefix(400))")
            let id = try #require(try await app.sql().raw("SELECT id FROM deliberation_meetings").first()?.decode(column: "id", as: UUID.self))
            #expect(try await app.rowCount("deliberation_participants") == 1)
            let noDue = try await app.submit("/console/deliberation/meetings/\(id)/resolutions", [("text", "加装电梯"), ("owner", "居委会")])
            #expect(noDue.status == .unprocessableEntity && noDue.text.contains("请填写落实期限"))
            let added = try await app.submit("/console/deliberation/meetings/\(id)/resolutions", [("text", "加装电梯"), ("owner", "居委会"), ("due_on", "2026-09-01")])
            #expect(added.status == .seeOther)
            let rid = try #require(try await app.sql().raw("SELECT id FROM deliberation_resolutions").first()?.decode(column: "id", as: UUID.self))
            let follow = try await app.submit("/console/deliberation/resolutions/\(rid)/follow-up", [("note", "已签协议"), ("on_date", "2026-06-30"), ("version", "1")])
            #expect(follow.status == .seeOther)
            let wrongCode = try await app.submit("/console/deliberation/resolutions/\(rid)/request", [("service_code", "XX9999")])
            #expect(wrongCode.status == .unprocessableEntity && wrongCode.text.contains("XX9999"))
            let turned = try await app.submit("/console/deliberation/resolutions/\(rid)/request", [("service_code", "SJ0101")])
            #expect(turned.status == .seeOther)
            let number = try #require(try await app.sql().raw("SELECT request_number FROM deliberation_resolutions").first()?.decode(column: "request_number", as: String?.self))
            let page = try await app.page("/console/deliberation/meetings/\(id)")
            #expect(page.text.contains("转办事项 \(number)"))
            #expect(page.status == .ok && page.text.contains("已签协议") && page.text.contains("落实中") && page.text.contains("物业、业委会"))
            #expect(try await app.page("/console/deliberation", as: .district).status == .ok)
            #expect(try await app.page("/console/deliberation/meetings/\(id)", as: .otherWorker).status == .notFound)
            let summaries = try await app.page("/consultations/meetings", as: .anonymous)
            #expect(summaries.status == .ok && summaries.text.contains("加装电梯协调") && summaries.text.contains("参会居民 1 人"))
            #expect(!summaries.text.contains(try await app.resident(person.id).name))
        }
    }

    @Test("the portal at work: a linked resident supports and comments by form; a worker hides a comment and closes the proposal")
    func portal() async throws {
        try await withTestApp(residents: 600) { app in
            let created = try await app.submit("/console/consultations", [("community_code", "321271002001"), ("title", "社区广场增设健身器材"), ("what", "增设一组器材"),
                                                                        ("why", "老年居民多"), ("cost", "35000"), ("deadline", "2026-07-20")])
            #expect(created.status == .seeOther, "\(created.status)")
            let id = try #require(try await app.sql().raw("SELECT id FROM consultation_proposals").first()?.decode(column: "id", as: UUID.self))
            let unlinked = try await app.page("/consultations/\(id)", as: .resident)
            #expect(unlinked.status == .ok && unlinked.text.contains("实名核验") && unlinked.text.contains("href=\"/volunteer\""))
            try await app.linkResidentAccount()
            let form = try await app.page("/consultations/\(id)", as: .resident)
            #expect(form.status == .ok && form.text.contains("action=\"/consultations/\(id)/support\""))
            let supported = try await app.submit("/consultations/\(id)/support", [], as: .resident)
            #expect(supported.status == .ok && supported.text.contains("感谢您的支持") && supported.text.contains("您已支持这个议题"))
            let twice = try await app.submit("/consultations/\(id)/support", [], as: .resident)
            #expect(twice.status == .conflict && twice.text.contains("您已支持过这个议题"))
            let empty = try await app.submit("/consultations/\(id)/comments", [("body", " ")], as: .resident)
            #expect(empty.status == .unprocessableEntity && empty.text.contains("请填写评论"))
            let commented = try await app.submit("/consultations/\(id)/comments", [("body", "建议装在树荫下")], as: .resident)
            #expect(commented.status == .ok && commented.text.contains("建议装在树荫下"))
            let cid = try #require(try await app.sql().raw("SELECT id FROM consultation_comments").first()?.decode(column: "id", as: UUID.self))
            let hidden = try await app.submit("/console/consultations/\(id)/comments/\(cid)/hide", [("reason", "含有个人电话")])
            #expect(hidden.status == .seeOther)
            let closed = try await app.submit("/console/consultations/\(id)/close", [("decision", "采纳"), ("response", "装在树荫下"), ("version", "1")])
            #expect(closed.status == .seeOther)
            let portal = try await app.page("/consultations/\(id)", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("该评论已被隐藏：含有个人电话") && !portal.text.contains("建议装在树荫下"))
            #expect(portal.text.contains("社区的决定") && portal.text.contains("支持 <b>1</b> · 评论 <b>1</b>"))
            #expect(try await app.page("/console/consultations", as: .street).status == .ok)
        }
    }
}
