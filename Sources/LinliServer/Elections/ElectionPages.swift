import Foundation
import LinliCore
import LinliData
import Vapor

/// One election in the console: its plan and timetable, the steps it may take, the roll (full names, searchable by
/// pinyin initials, paginated), candidates, proxies, the ballot boxes with their two entries, the elected committee
/// and the objections lodged on the portal. Every form posts back here and shows its message on this page.
struct ElectionPages {
    func boot(_ s: Routes) {
        s.get(":id", needs: .permission(.electionsRead), use: file)
        s.post(":id", "step", needs: .permission(.electionsRead), use: step)
        s.post(":id", "voters", needs: .permission(.electionsWrite), use: addVoter)
        s.post(":id", "exclusions", needs: .permission(.electionsWrite), use: exclude)
        s.post(":id", "candidates", needs: .permission(.electionsWrite), use: nominate)
        s.post(":id", "proxies", needs: .permission(.electionsWrite), use: proxy)
        s.post(":id", "boxes", needs: .permission(.electionsCount), use: addBox)
        s.post(":id", "boxes", ":box", needs: .permission(.electionsCount), use: enter)
        s.post(":id", "objections", ":objection", needs: .permission(.electionsWrite), use: answer)
    }

    static let perPage = 50

    func file(req: Request) async throws -> Response {
        let user = try req.webUser(.electionsRead)
        return try await render(req, user, id: try req.pathUUID(), message: req.formQuery("done").map { _ in "已保存。" }, errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, id: UUID, message: String?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let q = req.elections
        let e = try await q.requireElection(id, in: req.registryScope)
        let page = req.consolePage(perPage: Self.perPage), initials = req.formQuery("initials").map { String($0.prefix(10)) }
        let roll = try await q.voters(id, initials: initials, page: page.page, per: page.perPage)
        let candidates = try await q.candidates(id), boxes = try await q.boxes(id), members = try await q.members(id)
        let names = Dictionary(uniqueKeysWithValues: candidates.map { ($0.residentId.uuidString, $0.name) })
        let mayWrite = user.may(.electionsWrite), mayCount = user.may(.electionsCount), csrf = Console.csrfField(user)
        let base = "/console/elections/\(id)"

        func stepButton(_ step: ElectionStep, _ label: String) -> Markup {
            guard ElectionWorkflow.allows(step, from: e.status), step == .closeRound ? mayCount : mayWrite else { return .empty }
            return "<form method=\"post\" action=\"\(base)/step\" class=\"inline\">\(csrf)<input type=\"hidden\" name=\"step\" value=\"\(step.rawValue)\"><input type=\"hidden\" name=\"version\" value=\"\(e.version)\"><button type=\"submit\">\(label)</button></form> "
        }
        let steps: Markup = "\(stepButton(.publishRoll, "从人口登记生成并公布选民名单"))\(stepButton(.publishCandidates, "公布正式候选人"))\(stepButton(.closeRound, "确认本轮计票结果"))\(stepButton(.cancel, "撤销本次选举"))"

        // The age on election day, not the birth date: enough to check the roll, less of a person's data on a list.
        let electionDay = CivilDate(e.electionDay)
        let rollRows = roll.rows.map { v -> [Markup] in
            let age = CivilDate(v.birthDate).flatMap { b in electionDay.map { String(b.age(on: $0)) } } ?? "—"
            return [Markup.text(v.name), Markup.text(v.nameInitials), Markup.text(age), Markup.text(v.basis.label), Markup.text(v.decision ?? "")]
        }
        let more: Markup = roll.more ? "<a rel=\"next\" href=\"\(base)?page=\(page.page + 1)\(initials.map { "&initials=\($0)" } ?? "")\">下一页</a>" : Markup.empty
        let prev: Markup = page.page > 1 ? "<a rel=\"prev\" href=\"\(base)?page=\(page.page - 1)\(initials.map { "&initials=\($0)" } ?? "")\">上一页</a> " : Markup.empty
        let rollOpen = (e.status == .rollPublished || e.status == .candidatesPublished) && mayWrite
        let rollForms: Markup = rollOpen ? """
            <details><summary>申请登记（户籍不在本村/社区的居民）</summary><form method="post" action="\(base)/voters">\(csrf)
            \(Console.field("公民身份号码", name: "id_number", error: nil, required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Console.textarea("申请情况", name: "decision", required: true, maxLength: 300))<button type="submit">登记</button></form></details>
            <details><summary>不列入选民名单（依法被剥夺政治权利等）</summary><form method="post" action="\(base)/exclusions">\(csrf)
            \(Console.field("公民身份号码", name: "id_number", required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Console.textarea("依据（如判决书文号）", name: "decision", required: true, maxLength: 300))<button type="submit">记录</button></form></details>
            <details><summary>委托投票（每名选民接受委托不超过3人）</summary><form method="post" action="\(base)/proxies">\(csrf)
            \(Console.field("委托人公民身份号码", name: "id_number", required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Console.field("受托人公民身份号码", name: "holder_id_number", required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))<button type="submit">登记委托</button></form></details>
            """ : Markup.empty
        let candRows = candidates.map { c -> [Markup] in [Markup.text(c.name), Markup.text(c.post.label), "\(c.round)"] }
        let nominateForm: Markup = e.status == .rollPublished && mayWrite ? """
            <form method="post" action="\(base)/candidates">\(csrf)
            \(Console.field("候选人公民身份号码", name: "id_number", required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Console.select("职务", name: "post", options: CommitteePost.allCases.map { ($0.rawValue, $0.label) }, required: true))<button type="submit">提名</button></form>
            """ : Markup.empty

        let counting = (e.status == .candidatesPublished || e.status == .furtherRound) && mayCount
        let standing = candidates.filter { $0.round == e.round }
        let boxItems = boxes.map { b -> Markup in
            func show(_ c: StoredCount?, _ by: String?) -> Markup {
                guard let c else { return "未录入" }
                let votes = c.votes.sorted { $0.value > $1.value }.map { "\(names[$0.key] ?? "?") \($0.value)" }.joined(separator: "，")
                return "\(by ?? "")：发出\(c.issued) 收回\(c.returned) 有效\(c.valid) 无效\(c.invalid)；\(votes)"
            }
            let state: Markup
            if b.confirmed {
                state = (b.first?.count.isVoid ?? false) ? "<span class=\"badge red\">收回多于发出，本箱无效</span>" : "<span class=\"badge\">已确认</span>"
            } else if b.differences.isEmpty {
                state = "<span class=\"badge\">待录入</span>"
            } else {
                let fields = b.differences.map { $0.hasPrefix("votes.") ? (names[String($0.dropFirst(6))] ?? "得票") : ElectionPages.fieldLabel($0) }
                state = "<span class=\"badge red\">两次录入不一致：\(fields.joined(separator: "、"))</span>"
            }
            let form: Markup = counting && !b.confirmed && b.round == e.round ? """
                <details><summary>录入计票结果</summary><form method="post" action="\(base)/boxes/\(b.id)">\(csrf)<input type="hidden" name="version" value="\(b.version)">
                \(Console.field("发出选票", name: "issued", type: "number", required: true, extra: "min=\"0\""))\(Console.field("收回选票", name: "returned", type: "number", required: true, extra: "min=\"0\""))
                \(Console.field("有效票", name: "valid", type: "number", required: true, extra: "min=\"0\""))\(Console.field("无效票", name: "invalid", type: "number", required: true, extra: "min=\"0\""))
                \(standing.map { c -> Markup in Console.field("\(c.name)得票", name: "vote_\(c.residentId.uuidString)", type: "number", required: true, extra: "min=\"0\"") })
                <button type="submit">保存</button></form></details>
                """ : Markup.empty
            return "<li><b>\(b.label)</b>（\(b.kind.label)，第\(b.round)轮）\(state)<br>第一次录入 \(show(b.first, b.firstBy))<br>第二次录入 \(show(b.second, b.secondBy))\(form)</li>"
        }
        let boxForm: Markup = counting ? """
            <form method="post" action="\(base)/boxes">\(csrf)
            \(Console.select("票箱类别", name: "kind", options: BallotBoxKind.allCases.map { ($0.rawValue, $0.label) }, required: true))
            \(Console.field("票箱名称", name: "label", required: true, extra: "maxlength=\"40\""))<button type="submit">增加票箱</button></form>
            """ : Markup.empty
        let memberRows = members.map { m -> [Markup] in
            [Markup.text(m.name), Markup.text(m.post.label), "\(m.votes)", Markup.text(m.round == 1 ? "第一次投票" : "另行选举"), Markup.text("\(m.termStart) 至 \(m.termEnd)")]
        }
        var objections: [ObjectionRecord] = []
        if mayWrite { objections = try await q.objections(id) }
        let objectionItems = objections.map { o -> Markup in
            let reply: Markup = o.answer.map { "<br>答复（\(o.answeredBy ?? "")）：\($0)" } ?? """
                <form method="post" action="\(base)/objections/\(o.id)">\(csrf)\(Console.textarea("答复", name: "answer", required: true, maxLength: 1000))<button type="submit">答复</button></form>
                """
            return "<li>\(o.name)（\(o.contact)）：\(o.body)\(reply)</li>"
        }
        var objectionSection = Markup.empty
        if mayWrite {
            let list: Markup = objectionItems.isEmpty ? "<p class=\"empty\">暂无异议</p>" : "<ul class=\"timeline\">\(objectionItems)</ul>"
            objectionSection = "<h2>选民名单异议</h2>\(list)"
        }
        let body: Markup = """
            <h1>\(e.communityName ?? e.communityCode) · \(e.committeeKind.label)换届选举</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p>状态：<b>\(e.status.label)</b>\(e.status == .furtherRound ? "（第\(e.round)轮）" : "") · 选举方式：\(e.method.label) · 应选\(e.seats)人（副主任\(e.viceChairs)人）</p>
            <p>选举委员会：\(e.committee)</p>
            <p>选民名单公布 \(e.rollPublishedOn) · 名单确定 \(e.rollFrozenOn) · 候选人公布 \(e.candidatesPublishedOn) · 选举日 <b>\(e.electionDay)</b></p>
            <p>选民 \(e.rollCount) 人 · 第一次投票 \(e.firstCast.map(String.init) ?? "—") 人（投票率 \(ElectionsPages.turnout(e))）· 一次性成功：\(ElectionsPages.firstBallot(e))</p>
            <p>\(steps)</p>
            <h2>当选的委员会成员</h2>
            \(Console.table(["姓名", "职务", "得票", "当选", "任期"], memberRows, empty: "尚未产生"))
            <h2>正式候选人</h2>
            \(Console.table(["姓名", "职务", "所在轮次"], candRows, empty: "尚未提名"))
            \(nominateForm)
            <h2>票箱和计票（双人录入）</h2>
            \(boxItems.isEmpty ? "<p class=\"empty\">尚无票箱</p>" : "<ul class=\"timeline\">\(boxItems)</ul>")
            \(boxForm)
            <h2>选民名单</h2>
            <form method="get" action="\(base)" class="inline"><label>姓名拼音首字母 <input name="initials" value="\(initials ?? "")" maxlength="10"></label> <button type="submit">查找</button></form>
            \(Console.table(["姓名", "拼音首字母", "选举日年龄", "登记方式", "说明"], rollRows, empty: e.status == .preparing ? "选民名单尚未生成" : "没有符合条件的选民"))
            <p>\(prev)\(more)</p>
            \(rollForms)
            \(objectionSection)
            """
        return Console.page(req, user, title: "换届选举", crumbs: ElectionsPages.crumbs + [Crumb(e.communityName ?? e.communityCode)], body: body, status: status)
    }

    static func fieldLabel(_ f: String) -> String {
        ["issued": "发出选票", "returned": "收回选票", "valid": "有效票", "invalid": "无效票"][f] ?? f
    }

    struct ActionForm: Content {
        var csrf: String?
        var step: String?
        var version: String?
        var id_number: String?
        var holder_id_number: String?
        var decision: String?
        var post: String?
        var kind: String?
        var label: String?
        var answer: String?
    }

    /// Runs a form's write; on success back to the page, otherwise the page with the message at the field.
    func act(_ req: Request, _ permission: Permission, _ body: @Sendable (ActionForm, ElectionsActor, UUID) async throws -> Void) async throws -> Response {
        let user = try req.webUser(permission)
        let form = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            try await body(form, req.electionsActor, id)
            return req.redirect(to: "/console/elections/\(id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, message: nil, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, id: id, message: nil, errors: [e], status: .conflict)
        } catch RegistryError.conflictingState(let m) {
            return try await render(req, user, id: id, message: nil, errors: [FieldError("step", m)], status: .conflict)
        } catch RegistryError.staleVersion {
            return try await render(req, user, id: id, message: nil, errors: [FieldError("version", "记录已被他人修改，请核对后重新提交")], status: .conflict)
        }
    }

    static func version(_ f: ActionForm) throws -> Int { try requireVersion(f.version.flatMap { Int($0) }) }

    static func resident(_ req: Request, _ idNumber: String?, field: String) async throws -> UUID {
        let linli = req.application.linli
        guard let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: idNumber ?? "", in: req.registryScope) else {
            throw RegistryError.invalid([FieldError(field, "本辖区没有登记这个公民身份号码的居民")])
        }
        return r.id
    }

    func step(req: Request) async throws -> Response {
        try await act(req, .electionsRead) { f, actor, id in
            let q = req.elections, v = try Self.version(f)
            switch ElectionStep(rawValue: f.step ?? "") {
            case .publishRoll: _ = try await q.publishRoll(id, version: v, by: actor)
            case .publishCandidates: _ = try await q.publishCandidates(id, version: v, by: actor)
            case .closeRound: _ = try await q.closeRound(id, version: v, by: actor)
            case .cancel: _ = try await q.cancel(id, version: v, by: actor)
            case nil: throw RegistryError.invalid([FieldError("step", "未知的操作")])
            }
        }
    }

    func addVoter(req: Request) async throws -> Response {
        try await act(req, .electionsWrite) { f, actor, id in
            _ = try await req.elections.addVoter(id, resident: try await Self.resident(req, f.id_number, field: "resident_id"), decision: f.decision, by: actor)
        }
    }

    func exclude(req: Request) async throws -> Response {
        try await act(req, .electionsWrite) { f, actor, id in
            try await req.elections.excludeVoter(id, resident: try await Self.resident(req, f.id_number, field: "resident_id"), decision: f.decision, by: actor)
        }
    }

    func nominate(req: Request) async throws -> Response {
        try await act(req, .electionsWrite) { f, actor, id in
            let post = try ElectionsService.parse(f.post, CommitteePost.self, field: "post")
            _ = try await req.elections.nominate(id, resident: try await Self.resident(req, f.id_number, field: "resident_id"), post: post, by: actor)
        }
    }

    func proxy(req: Request) async throws -> Response {
        try await act(req, .electionsWrite) { f, actor, id in
            try await req.elections.addProxy(id, grantor: try await Self.resident(req, f.id_number, field: "grantor_id"),
                                             holder: try await Self.resident(req, f.holder_id_number, field: "holder_id"), by: actor)
        }
    }

    func addBox(req: Request) async throws -> Response {
        try await act(req, .electionsCount) { f, actor, id in
            _ = try await req.elections.addBox(id, kind: try ElectionsService.parse(f.kind, BallotBoxKind.self, field: "kind"), label: f.label, by: actor)
        }
    }

    func enter(req: Request) async throws -> Response {
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        return try await act(req, .electionsCount) { f, actor, id in
            func n(_ k: String) -> Int? { fields[k].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            var votes: [UUID: Int] = [:], errors: [FieldError] = []
            for (k, v) in fields where k.hasPrefix("vote_") {
                guard let c = UUID(uuidString: String(k.dropFirst(5))), let x = Int(v.trimmingCharacters(in: .whitespaces)) else {
                    errors.append(FieldError("votes", "得票数应为整数")); continue
                }
                votes[c] = x
            }
            for k in ["issued", "returned", "valid", "invalid"] where n(k) == nil { errors.append(FieldError(k, "\(Self.fieldLabel(k))应为整数")) }
            guard errors.isEmpty, let issued = n("issued"), let returned = n("returned"), let valid = n("valid"), let invalid = n("invalid") else {
                throw RegistryError.invalid(errors)
            }
            _ = try await req.elections.enterCount(id, box: try req.pathUUID("box"), BoxCount(issued: issued, returned: returned, valid: valid, invalid: invalid, votes: votes),
                                                   version: try Self.version(f), by: actor)
        }
    }

    func answer(req: Request) async throws -> Response {
        try await act(req, .electionsWrite) { f, actor, id in
            try await req.elections.answerObjection(id, objection: try req.pathUUID("objection"), answer: f.answer, by: actor)
        }
    }
}
