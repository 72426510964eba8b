import Foundation
import LinliCore
import LinliData
import Vapor

/// 四位一体协调会: a compound's coordination meetings of the residents' committee, the property manager, the owners'
/// committee and the community police. The meeting itself (minutes, resolutions, their follow-up, a resolution turned
/// into a request) lives on the deliberation meeting's page; these routes hold one for a compound and list them.
enum CoordinationInputs {
    struct Body: Decodable {
        var title: String?
        var agenda: String?
        var heldOn: String?
        var place: String?
        var residentsCommittee: String?
        var propertyManager: String?
        var ownersCommittee: String?
        var police: String?

        func input() throws -> CoordinationInput {
            CoordinationInput(title: title, agenda: agenda, heldOn: try DeliberationService.date(heldOn, field: "held_on"), place: place,
                              attendees: [.residentsCommittee: residentsCommittee ?? "", .propertyManager: propertyManager ?? "",
                                          .ownersCommittee: ownersCommittee ?? "", .police: police ?? ""])
        }
    }

    static func hold(_ req: Request, compound id: UUID, _ body: Body) async throws -> CoordinationRecord {
        try await req.property.holdCoordination(compound: id, try body.input(), deliberation: req.deliberation, by: req.deliberationActor)
    }
}

struct CoordinationPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "property")
        p.get("coordination", needs: .permission(.propertyRead), use: overview)
        p.get(":id", "coordination", needs: .permission(.deliberationWrite), use: form)
        p.post(":id", "coordination", needs: .permission(.deliberationWrite), use: hold)
    }

    struct Form: Content {
        var csrf: String?
        var title: String?
        var agenda: String?
        var held_on: String?
        var place: String?
        var residents_committee: String?
        var property_manager: String?
        var owners_committee: String?
        var police: String?

        var body: CoordinationInputs.Body {
            .init(title: title, agenda: agenda, heldOn: held_on, place: place, residentsCommittee: residents_committee,
                  propertyManager: property_manager, ownersCommittee: owners_committee, police: police)
        }
    }

    /// Who attended, one mark per party: the name, 缺席 for a party the compound could have sent, — for one it could not.
    static func partyCells(_ r: CoordinationRecord) -> [Markup] {
        CoordinationParty.allCases.map { p in
            if let a = r.attendee(p) { return Markup.text(a) }
            return r.expected > r.parties ? "<span class=\"warn\">缺席</span>" : "—"
        }
    }

    static func rows(_ list: [CoordinationRecord], compound: Bool) -> [[Markup]] {
        list.map { r in
            // A date kept on one line: on a phone the column is narrow and "2026-06-12" broke after a hyphen.
            var row: [Markup] = ["<time datetime=\"\(r.heldOn)\">\(r.heldOn)</time>", "<a href=\"/console/deliberation/meetings/\(r.meetingId)\">\(r.title)</a>"]
            if compound { row.append("<a href=\"/console/property/\(r.compoundId)\">\(r.compoundName)</a>") }
            row.append(Markup.text("\(r.parties) / \(r.expected)"))
            row.append(r.resolutions == 0 ? "尚无决议" : Markup.text("\(r.resolutions) 项（落实中 \(r.openResolutions)）"))
            return row
        }
    }

    /// The compound page's section: its meetings and, for the community's workers, the way to hold one.
    static func section(_ req: Request, _ user: WebUser, _ c: CompoundRecord) async throws -> Markup {
        let list = try await req.property.coordinations(ofCompound: c.id, in: req.registryScope)
        let hold: Markup = user.may(.deliberationWrite) ? "<p><a href=\"/console/property/\(c.id)/coordination\">召开四位一体协调会</a></p>" : .empty
        return """
            <h2 id="coordination">四位一体协调会</h2>
            <p class="muted">居委会、物业、业主委员会、社区民警共同协商小区事务；决议的落实在会议页跟进。</p>
            \(Console.table(["日期", "议题", "到会方 / 应到", "决议"], rows(list, compound: false), empty: "尚未召开协调会"))
            \(hold)
            """
    }

    /// The area's coordination meetings this year, for the street and the district.
    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let today = req.application.linli.today()
        let since = CivilDate(year: today.year, month: 1, day: 1)!
        let list = try await req.property.coordinations(in: req.registryScope, since: since)
        let incomplete = list.filter { $0.parties < $0.expected }.count, open = list.reduce(0) { $0 + $1.openResolutions }
        let body: Markup = """
            <h1>四位一体协调会</h1>
            \(PropertyPages.links)
            \(PropertyPages.clause)
            <p>\(today.year)年以来 \(list.count) 次；缺席一方或多方的 \(incomplete) 次；落实中的决议 \(open) 项。</p>
            \(Console.table(["日期", "议题", "小区", "到会方 / 应到", "决议"], Self.rows(list, compound: true), empty: "本年尚未召开协调会"))
            """
        return Console.page(req, user, title: "四位一体协调会", crumbs: PropertyPages.crumbs + [Crumb("四位一体协调会")], body: body)
    }

    func form(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationWrite)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        let today = req.application.linli.today()
        return try await render(req, user, c, Form(title: "\(c.name)四位一体协调会", held_on: today.description), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ c: CompoundRecord, _ v: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let day = CivilDate(v.held_on ?? "") ?? req.application.linli.today()
        let setting = try await req.property.coordinationSetting(c, on: day).0
        let manager: String = setting.company.map { "物业服务企业（\($0)）参会人员" } ?? (setting.quasi ? "准物业管理参会人员" : "物业参会人员（该小区无人管理，留空）")
        let owners: String = setting.ownersCommittee ? "业主委员会参会人员" : "业主委员会参会人员（该小区没有任期内的业主委员会，留空）"
        let body: Markup = """
            <h1>召开四位一体协调会</h1>
            <p><a href="/console/property/\(c.id)">\(c.name)</a></p>
            \(Console.formErrors(errors))
            <form method="post" action="/console/property/\(c.id)/coordination">\(Console.csrfField(user))
            \(Console.field("议题", name: "title", value: v.title, error: err("title"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("日期", name: "held_on", value: v.held_on, error: err("held_on"), type: "date", required: true))
            \(Console.field("地点", name: "place", value: v.place, error: err("place"), required: true, extra: "maxlength=\"60\""))
            \(Console.textarea("议程", name: "agenda", value: v.agenda, error: err("agenda"), required: true, maxLength: 1000))
            <fieldset><legend>四方参会人员（姓名或姓名、职务）</legend>
            \(Console.field("居委会参会人员", name: "residents_committee", value: v.residents_committee, error: err("residents_committee"), required: true, extra: "maxlength=\"40\""))
            \(Console.field(manager, name: "property_manager", value: v.property_manager, error: err("property_manager"), extra: "maxlength=\"40\""))
            \(Console.field(owners, name: "owners_committee", value: v.owners_committee, error: err("owners_committee"), extra: "maxlength=\"40\""))
            \(Console.field("社区民警", name: "police", value: v.police, error: err("police"), required: true, extra: "maxlength=\"40\""))
            </fieldset>
            <button type="submit">记录协调会</button></form>
            <p class="muted">会议记录后，在会议页填写会议纪要、决议和落实情况。</p>
            """
        return Console.page(req, user, title: "召开四位一体协调会", crumbs: PropertyPages.crumbs + [Crumb(c.name, "/console/property/\(c.id)"), Crumb("协调会")],
                            body: body, status: status)
    }

    func hold(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationWrite)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        do {
            let r = try await CoordinationInputs.hold(req, compound: c.id, form.body)
            return req.redirect(to: "/console/deliberation/meetings/\(r.meetingId)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, c, form, errors: errors, status: .unprocessableEntity)
        }
    }
}
