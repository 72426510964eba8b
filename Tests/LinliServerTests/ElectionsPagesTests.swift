import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("换届选举: the console and the portal", .serialized)
struct ElectionsPagesTests {
    let day = testToday.adding(days: 30)

    @Test("the console: the form refuses at the field, an election prepared, its roll published; the board; the portal's objection form")
    func pages() async throws {
        try await withTestApp(residents: 3000) { app in
            let list = try await app.page("/console/elections")
            #expect(list.status == .ok && list.text.contains("组织换届选举"))
            let form: [(String, String)] = [("community_code", TestUser.worker.scope), ("method", "direct"), ("seats", "5"), ("vice_chairs", "1"),
                                            ("committee", "王建国、李红、张伟"), ("roll_published_on", day.adding(days: -10).description),
                                            ("roll_frozen_on", day.adding(days: -5).description), ("candidates_published_on", day.adding(days: -5).description),
                                            ("election_day", day.description)]
            let refused = try await app.submit("/console/elections/new", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("选民名单应在选举日20日前公布"))
            #expect(try await app.rowCount("elections") == 0)
            let ok = try await app.submit("/console/elections/new", form.map { $0.0 == "roll_published_on" ? ($0.0, day.adding(days: -20).description) : $0 })
            #expect(ok.status == .seeOther || ok.status == .found, "\(ok.text)")
            let path = try #require(ok.location)
            let id = String(path.dropFirst("/console/elections/".count))
            let published = try await app.submit(path + "/step", [("step", "publish_roll"), ("version", "1")])
            #expect(published.status == .seeOther || published.status == .found, "\(published.text)")
            let file = try await app.page(path)
            #expect(file.status == .ok && file.text.contains("选民名单已公布"))
            // The roll searched by pinyin initials, typed in either case: the last voter by initials is found on the first page.
            let last = try #require(try await app.sql().raw("SELECT name, name_initials FROM election_voters ORDER BY name_initials DESC").first())
            let initials = try last.decode(column: "name_initials", as: String.self), name = try last.decode(column: "name", as: String.self)
            let found = try await app.page(path + "?initials=" + initials.uppercased())
            #expect(found.status == .ok && found.text.contains(name), "\(initials)")
            let firstVoter = try #require(try await app.sql().raw("SELECT name, name_initials FROM election_voters ORDER BY name_initials").first())
            try #require(try firstVoter.decode(column: "name_initials", as: String.self) < initials)
            #expect(!found.text.contains(try firstVoter.decode(column: "name", as: String.self)))
            // A worker of another community does not see it; the street and the district do, on the board too.
            #expect(try await app.page(path, as: .otherWorker).status == .notFound)
            let board = try await app.page("/console/elections/board", as: .street)
            #expect(board.status == .ok && board.text.contains(path))
            #expect(try await app.page("/console/elections/board", as: .district).status == .ok)
            #expect(try await app.page("/console/elections/new", as: .street).status == .forbidden)

            // The portal: an objection to the roll with name, contact and text; nothing of it shown back; a blank one refused.
            let visitor = WebClient(app, as: nil)
            let portal = try await visitor.get("/notices/elections/\(id)")
            #expect(portal.status == .ok && portal.text.contains("对选民名单提出异议"))
            let csrf = try #require(inputValue(portal.text, "csrf"))
            let blank = try await visitor.post("/notices/elections/\(id)/objections", form: [("csrf", csrf), ("name", ""), ("contact", ""), ("body", "")])
            #expect(blank.status == .unprocessableEntity)
            let sent = try await visitor.post("/notices/elections/\(id)/objections", form: [("csrf", csrf), ("name", "赵某某"), ("contact", "13900001111"),
                                                                                           ("body", "我家老人已于上月去世，仍在名单上")])
            #expect(sent.status == .ok)
            #expect(sent.text.contains("异议已收到"))
            #expect(!sent.text.contains("13900001111"))
            #expect(try await app.rowCount("election_objections") == 1)
            let stored = try #require(try await app.sql().raw("SELECT contact_cipher FROM election_objections").first()?.decode(column: "contact_cipher", as: Data.self))
            #expect(!String(decoding: stored, as: UTF8.self).contains("13900001111"))
            let worker = try await app.page(path)
            #expect(worker.status == .ok && worker.text.contains("我家老人已于上月去世") && worker.text.contains("13900001111"))
            // The worker's home page: the objection waits for an answer; the election is under way.
            let home = try await app.page("/console")
            #expect(home.status == .ok && home.text.contains("待答复的选民名单异议</span><b>1</b>") && home.text.contains("进行中的换届选举</span><b>1</b>"))
            #expect(try await app.page("/console", as: .otherWorker).text.contains("待答复的选民名单异议</span><b>0</b>"))
        }
    }
}
