import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 换届选举 pages: the elections of one's area, the board of each community's latest election,
/// and the form that prepares one. An election's own page is `ElectionPages`.
struct ElectionsPages {
    func boot(_ routes: Routes) {
        let s = routes.grouped("console", "elections")
        s.get(needs: .permission(.electionsRead), use: list)
        s.get("board", needs: .permission(.electionsRead), use: board)
        s.get("new", needs: .permission(.electionsWrite), use: newElection)
        s.post("new", needs: .permission(.electionsWrite), use: create)
        ElectionPages().boot(s)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("换届选举", "/console/elections")]
    static let about: Markup = "<p class=\"muted\">规划：“实现社区居委会成员直接选举全覆盖”，村(居)委会换届选举率和一次性成功率均达100%。居民委员会由5至9人组成，村民委员会由3至7人组成，每届任期5年；选民名单在选举日20日前公布；村民委员会实行差额选举。</p>"

    static func turnout(_ e: ElectionRecord) -> String { e.turnout.map { IndicatorFormat.number(($0 * 10).rounded() / 10) + "%" } ?? "—" }
    static func firstBallot(_ e: ElectionRecord) -> String { e.firstBallot.map { $0 ? "是" : "否" } ?? "—" }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.electionsRead)
        let list = try await req.elections.elections(in: try req.narrowedScope(), limit: 200)
        let rows = list.map { e -> [Markup] in
            ["<a href=\"/console/elections/\(e.id)\">\(e.communityName ?? e.communityCode)</a>", Markup.text(e.committeeKind.label), Markup.text(e.electionDay),
             Markup.text(e.status.label), "\(e.rollCount)", Markup.text(Self.turnout(e)), Markup.text(Self.firstBallot(e))]
        }
        let body: Markup = """
            <h1>换届选举</h1>
            \(Self.about)
            <p>\(user.may(.electionsWrite) ? "<a class=\"button\" href=\"/console/elections/new\">组织换届选举</a> " : Markup.empty)<a class="button" href="/console/elections/board">各村(社区)选举进展一览</a></p>
            \(Console.table(["村/社区", "委员会", "选举日", "状态", "选民", "投票率", "一次性成功"], rows, empty: "辖区内尚无换届选举"))
            """
        return Console.page(req, user, title: "换届选举", crumbs: [Crumb("工作台", "/console"), Crumb("换届选举")], body: body)
    }

    /// Each community of the area with its latest election: status, turnout, first-ballot success.
    func board(req: Request) async throws -> Response {
        let user = try req.webUser(.electionsRead)
        let scope = try req.narrowedScope()
        let communities = try await DivisionQueries(req.db).all(in: scope, level: .community)
        var latest: [String: ElectionRecord] = [:]
        for e in try await req.elections.elections(in: scope, limit: 5000) where e.status != .cancelled && latest[e.communityCode] == nil {
            latest[e.communityCode] = e
        }
        let streets = Dictionary(grouping: communities) { String($0.code.prefix(9)) }
        let streetNames = Dictionary(try await DivisionQueries(req.db).all(in: scope, level: .street).map { (String($0.code.prefix(9)), $0.name) },
                                     uniquingKeysWith: { a, _ in a })
        var sections: [Markup] = []
        for key in streets.keys.sorted() {
            let list = streets[key] ?? []
            let done = list.filter { latest[$0.code]?.status == .succeeded }.count
            let rows = list.map { c -> [Markup] in
                guard let e = latest[c.code] else { return [Markup.text(c.name), "—", "未组织", "—", "—"] }
                return ["<a href=\"/console/elections/\(e.id)\">\(c.name)</a>", Markup.text(e.electionDay), Markup.text(e.status.label),
                        Markup.text(Self.turnout(e)), Markup.text(Self.firstBallot(e))]
            }
            sections.append("<h2>\(streetNames[key] ?? key)（\(done)/\(list.count) 已选举成功）</h2>\(Console.table(["村/社区", "选举日", "状态", "投票率", "一次性成功"], rows))")
        }
        let body: Markup = """
            <h1>各村(社区)换届选举进展</h1>
            <p class="muted">每个村/社区显示最近一次换届选举（已撤销的不计）。</p>
            \(sections.isEmpty ? "<p class=\"empty\">辖区内没有村/社区。</p>" : sections.joined(separator: ""))
            """
        return Console.page(req, user, title: "换届选举进展", crumbs: Self.crumbs + [Crumb("进展一览")], body: body)
    }

    struct ElectionForm: Content {
        var csrf: String?
        var community_code: String?
        var method: String?
        var seats: String?
        var vice_chairs: String?
        var committee: String?
        var roll_published_on: String?
        var roll_frozen_on: String?
        var candidates_published_on: String?
        var election_day: String?

        func input() throws -> ElectionInput {
            func int(_ s: String?, _ f: String) throws -> Int? {
                guard let s = s?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
                guard let n = Int(s), (0...99).contains(n) else { throw RegistryError.invalid([FieldError(f, "应为整数")]) }
                return n
            }
            let body = ElectionsService.ElectionBody(communityCode: community_code, method: method, seats: try int(seats, "seats"),
                                                     viceChairs: try int(vice_chairs, "vice_chairs"),
                                                     committee: (committee ?? "").split(whereSeparator: { "、,，\n ".contains($0) }).map(String.init),
                                                     rollPublishedOn: roll_published_on, rollFrozenOn: roll_frozen_on,
                                                     candidatesPublishedOn: candidates_published_on, electionDay: election_day)
            return try body.input()
        }
    }

    func newElection(req: Request) async throws -> Response {
        let user = try req.webUser(.electionsWrite)
        let day = req.application.linli.today().adding(days: 30)
        let values = ElectionForm(method: ElectionMethod.direct.rawValue, seats: "5", vice_chairs: "1", roll_published_on: day.adding(days: -20).description,
                                  roll_frozen_on: day.adding(days: -5).description, candidates_published_on: day.adding(days: -5).description,
                                  election_day: day.description)
        return try await renderForm(req, user, values: values, errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, values v: ElectionForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let communities = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community).map { ($0.code, $0.name + "（" + ($0.kind?.rawValue ?? "社区") + "）") }
        let body: Markup = """
            <h1>组织换届选举</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/elections/new">\(Console.csrfField(user))
            \(Console.select("村/社区", name: "community_code", options: communities, selected: v.community_code, error: err("community_code"), required: true))
            \(Console.select("选举方式", name: "method", options: ElectionMethod.allCases.map { ($0.rawValue, $0.label) }, selected: v.method, error: err("method"), required: true))
            \(Console.field("委员会成员职数（含主任）", name: "seats", value: v.seats, error: err("seats"), type: "number", required: true, hint: "居民委员会5至9人，村民委员会3至7人", extra: "min=\"3\" max=\"9\""))
            \(Console.field("副主任职数", name: "vice_chairs", value: v.vice_chairs, error: err("vice_chairs"), type: "number", extra: "min=\"0\" max=\"8\""))
            \(Console.textarea("选举委员会成员（姓名，用顿号分隔）", name: "committee", value: v.committee, error: err("committee"), required: true, maxLength: 300))
            \(Console.field("选民名单公布日", name: "roll_published_on", value: v.roll_published_on, error: err("roll_published_on"), type: "date", required: true, hint: "应在选举日20日前"))
            \(Console.field("选民名单确定日", name: "roll_frozen_on", value: v.roll_frozen_on, error: err("roll_frozen_on"), type: "date", required: true, hint: "此日起不再增减选民"))
            \(Console.field("正式候选人公布日", name: "candidates_published_on", value: v.candidates_published_on, error: err("candidates_published_on"), type: "date", required: true))
            \(Console.field("选举日", name: "election_day", value: v.election_day, error: err("election_day"), type: "date", required: true))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "组织换届选举", crumbs: Self.crumbs + [Crumb("组织换届选举")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.electionsWrite)
        let form = (try? req.content.decode(ElectionForm.self)) ?? ElectionForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let e = try await req.elections.create(try form.input(), by: req.electionsActor)
            return req.redirect(to: "/console/elections/\(e.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, values: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderForm(req, user, values: form, errors: [e], status: .conflict)
        }
    }
}
