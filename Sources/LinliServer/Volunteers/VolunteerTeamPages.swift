import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 志愿服务队 pages: the teams of one's area by hours, the form that forms one (by community or by
/// skill; a leader named by their ID number must be a signed volunteer of the community), and adding a member.
/// A team of a social organization names one of the area's organizations on the books.
struct VolunteerTeamPages {
    func boot(_ routes: Routes) {
        let v = routes.grouped("console", "volunteers", "teams")
        v.get(needs: .permission(.volunteersRead), use: list)
        v.post(needs: .permission(.volunteersWrite), use: create)
        v.post(":id", "members", needs: .permission(.volunteersWrite), use: addMember)
    }

    struct TeamForm: Content {
        var csrf: String?
        var name: String?
        var kind: String?
        var skill: String?
        var leader_id_number: String?
        var organization_id: String?
        var team_id: String?
        var id_number: String?
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        return try await render(req, user, form: TeamForm(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, form f: TeamForm, errors: [FieldError], status: HTTPResponseStatus, memberTeam: String? = nil) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let page = try await req.volunteers.teams(in: try req.narrowedScope(), page: req.consolePage(perPage: 30))
        let write = user.may(.volunteersWrite)
        var names: [String: String] = [:]
        for code in Set(page.items.map(\.communityCode)) { names[code] = try await DivisionQueries(req.db).find(code: code)?.name }
        let rows = page.items.map { t -> [Markup] in
            let invalid: Markup = memberTeam == t.id.uuidString ? " aria-invalid=\"true\"" : Markup.empty
            let add: Markup = write ? """
                <form method="post" action="/console/volunteers/teams/\(t.id)/members" class="inline">\(Console.csrfField(user))
                <input id="m-\(t.id)" aria-label="新队员公民身份号码" name="id_number" size="18" maxlength="18" autocomplete="off"\(invalid)>
                <button type="submit">加入</button></form>
                """ : Markup.empty
            return [Markup.text(t.name), Markup.text(names[t.communityCode] ?? t.communityCode), Markup.text(t.kind.label + (t.skill.map { "（\($0.label)）" } ?? "")),
                    Markup.text(String(t.members)), Markup.text(VolunteerRules.hoursText(t.minutes)), add]
        }
        let organizations = write ? try await VolunteerFormOptions.organizations(req) : []
        let form: Markup = write ? """
            <h2>组建服务队</h2>
            <form method="post" action="/console/volunteers/teams">\(Console.csrfField(user))
            \(Console.field("服务队名称", name: "name", value: f.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.select("类型", name: "kind", options: [("", "请选择")] + VolunteerTeamKind.allCases.map { ($0.rawValue, $0.label) }, selected: f.kind,
                             error: err("kind"), required: true))
            \(Console.select("技能（专业技能服务队）", name: "skill", options: [("", "（不限）")] + VolunteerSkill.allCases.map { ($0.rawValue, $0.label) },
                             selected: f.skill, error: err("skill")))
            \(Console.select("所属社会组织（社会组织服务队）", name: "organization_id", options: [("", "（无）")] + organizations,
                             selected: f.organization_id, error: err("organization_id")))
            \(Console.field("队长公民身份号码", name: "leader_id_number", error: err("leader_id"), hint: "队长须为本社区已签约的志愿者，可不填",
                            extra: "maxlength=\"18\" autocomplete=\"off\""))
            <button type="submit">组建</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>志愿服务队</h1>
            \(Console.formErrors(errors))
            \(Console.table(["服务队", "村/社区", "类型", "队员", "累计时长", write ? "加入队员" : ""], rows, empty: "尚无服务队"))
            \(Console.pager(page, path: "/console/volunteers/teams", query: [("division", req.formQuery("division"))]))
            \(form)
            """
        return Console.page(req, user, title: "志愿服务队", crumbs: VolunteersPages.crumbs + [Crumb("志愿服务队")], body: body, status: status)
    }

    /// The volunteer of the caller's scope with this ID number, or nil.
    static func volunteer(_ req: Request, idNumber: String?) async throws -> VolunteerRecord? {
        guard let number = idNumber?.trimmedOrNil else { return nil }
        let linli = req.application.linli
        guard let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: number, in: req.registryScope) else { return nil }
        return try await req.volunteers.volunteer(resident: r.id)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersWrite)
        let form = (try? req.content.decode(TeamForm.self)) ?? TeamForm()
        try req.checkCSRF(user, form.csrf)
        do {
            var leader: UUID?
            if form.leader_id_number?.trimmedOrNil != nil {
                guard let v = try await Self.volunteer(req, idNumber: form.leader_id_number) else {
                    throw RegistryError.invalid([FieldError("leader_id", "本辖区没有登记这个公民身份号码的志愿者")])
                }
                leader = v.id
            }
            _ = try await req.volunteers.createTeam(name: form.name, kind: form.kind.flatMap(VolunteerTeamKind.init(rawValue:)),
                                                    skill: form.skill.flatMap(VolunteerSkill.init(rawValue:)), organizationID: try VolunteerFormOptions.id(form.organization_id, field: "organization_id", label: "社会组织"), leader: leader,
                                                    community: nil, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/teams", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form: form, errors: [e], status: .conflict)
        }
    }

    func addMember(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersWrite)
        let form = (try? req.content.decode(TeamForm.self)) ?? TeamForm()
        try req.checkCSRF(user, form.csrf)
        let team = try req.pathUUID()
        do {
            guard let v = try await Self.volunteer(req, idNumber: form.id_number) else {
                throw RegistryError.invalid([FieldError("volunteer_id", "本辖区没有登记这个公民身份号码的志愿者")])
            }
            _ = try await req.volunteers.addMember(team: team, volunteer: v.id, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/teams", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form: TeamForm(), errors: errors, status: .unprocessableEntity, memberTeam: team.uuidString)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form: TeamForm(), errors: [e], status: .conflict, memberTeam: team.uuidString)
        }
    }
}
