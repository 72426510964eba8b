import Foundation
import LinliCore
import LinliData
import Vapor

/// A community's 事项准入 page: the admitted tasks that apply to it with this year's funds promised and arrived
/// (费随事转), its checks and plaques, the unadmitted tasks it refused (拒绝未准入事项) and the forms to record both.
struct AdmissionCommunityPages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "admission", "community")
        a.get(needs: .permission(.admissionRead), use: community)
        a.post("pushes", needs: .permission(.admissionCommunity), use: push)
        a.post("funds", needs: .permission(.admissionCommunity), use: funds)
    }

    struct PushForm: Content {
        var csrf: String?
        var community: String?
        var department_code: String?
        var title: String?
        var pushed_on: String?
        var channel: String?
        var note: String?
    }

    struct FundsForm: Content {
        var csrf: String?
        var community: String?
        var task_id: String?
        var year: String?
        var amount_yuan: String?
        var received_on: String?
    }

    func community(req: Request) async throws -> Response {
        try await render(req, community: req.formQuery("community"), push: nil, funds: nil, errors: [], status: .ok)
    }

    func render(_ req: Request, community raw: String?, push: PushForm?, funds: FundsForm?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.admissionRead)
        let q = req.admission
        let c = try await q.community(raw, in: req.registryScope)
        let today = req.application.linli.today()
        let names = try await q.departmentNames()
        let tasks = try await q.tasks(of: c.code)
        let checks = try await q.checksAndPlaques(of: c.code)
        let pushes = try await q.pushes(of: c.code, page: req.consolePage(perPage: 20))
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let taskRows = tasks.map { x -> [Markup] in
            let executed = AdmissionRules.fundsExecuted(promisedFen: x.promisedFen, arrivedFen: x.arrivedFen)
            let state: Markup
            switch executed {
            case true?: state = "<span class=\"badge\">已到位</span>"
            case false?: state = "<span class=\"badge red\">未足额</span>"
            case nil: state = Markup.text("—")
            }
            return ["<a href=\"/console/admission/tasks/\(x.task.id)\">\(x.task.title)</a>", Markup.text(names[x.task.departmentCode] ?? x.task.departmentCode),
                    Markup.text(x.task.kind.label), Markup.text(x.task.frequency.label), Markup.text(x.task.validTo),
                    Markup.text("\(DisclosureRules.yuan(x.arrivedFen)) / \(DisclosureRules.yuan(x.promisedFen))"), state]
        }
        let pushRows = pushes.items.map { p -> [Markup] in
            [Markup.text(p.pushedOn), Markup.text(names[p.departmentCode] ?? p.departmentCode), Markup.text(p.title), Markup.text(p.channel.label), Markup.text(p.note)]
        }
        let mayWrite = user.may(.admissionCommunity)
        let p = push ?? PushForm(pushed_on: today.description)
        let f = funds ?? FundsForm(year: String(today.year), received_on: today.description)
        let funded = tasks.filter { $0.promisedFen > 0 }
        let fundsForm: Markup = funded.isEmpty ? "<p class=\"empty\">没有承诺经费的准入事项。</p>" : """
            <form method="post" action="/console/admission/community/funds">\(Console.csrfField(user))
            <input type="hidden" name="community" value="\(c.code)">
            \(Console.select("准入事项", name: "task_id", options: funded.map { ($0.task.id.uuidString, $0.task.title) }, selected: f.task_id,
                             error: funds != nil ? err("task_id") : nil, required: true))
            \(Console.field("年度", name: "year", value: f.year, error: funds != nil ? err("year") : nil, type: "number", required: true,
                            extra: "min=\"2000\" max=\"\(today.year + 1)\" step=\"1\" inputmode=\"numeric\""))
            \(Console.field("到位金额（元）", name: "amount_yuan", value: f.amount_yuan, error: funds != nil ? err("amount_fen") : nil, required: true,
                            extra: "inputmode=\"decimal\""))
            \(Console.field("到位日期", name: "received_on", value: f.received_on, error: funds != nil ? err("received_on") : nil, type: "date", required: true))
            <button type="submit">登记</button></form>
            """
        let forms: Markup = mayWrite ? """
            <h2>登记拒绝的未准入事项</h2>
            <p class="muted">部门未经准入，以电话、发文、表格等方式向社区布置的工作，社区有权拒绝；在此登记，按部门统计、监督。</p>
            \(push != nil ? Console.formErrors(errors) : Markup.empty)
            <form method="post" action="/console/admission/community/pushes">\(Console.csrfField(user))
            <input type="hidden" name="community" value="\(c.code)">
            \(Console.select("布置部门", name: "department_code", options: names.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, selected: p.department_code,
                             error: push != nil ? err("department_code") : nil, required: true))
            \(Console.field("布置的事项", name: "title", value: p.title, error: push != nil ? err("title") : nil, required: true,
                            extra: "maxlength=\"\(AdmissionRules.titleMax)\""))
            \(Console.field("布置日期", name: "pushed_on", value: p.pushed_on, error: push != nil ? err("pushed_on") : nil, type: "date", required: true))
            \(Console.select("布置方式", name: "channel", options: AdmissionChannel.allCases.map { ($0.rawValue, $0.label) }, selected: p.channel,
                             error: push != nil ? err("channel") : nil, required: true))
            \(Console.textarea("说明", name: "note", value: p.note, error: push != nil ? err("note") : nil, maxLength: AdmissionRules.noteMax))
            <button type="submit">登记并拒绝</button></form>
            <h2>登记到位经费</h2>
            \(funds != nil ? Console.formErrors(errors) : Markup.empty)
            \(fundsForm)
            """ : .empty
        let body: Markup = """
            <h1>\(c.name) · 事项准入</h1>
            <p>适用本社区的准入事项 \(tasks.count) 项，其中检查考核和牌子增挂 <strong>\(checks)</strong> 项；本社区登记拒绝的未准入事项 \(pushes.total) 项。</p>
            <h2>适用本社区的准入事项</h2>
            <p class="muted">经费为本年到位 / 承诺（元）。</p>
            \(Console.table(["事项", "部门", "类别", "频次", "准入至", "经费", "费随事转"], taskRows, empty: "没有适用本社区的准入事项"))
            <h2>拒绝的未准入事项</h2>
            \(Console.table(["日期", "部门", "事项", "方式", "说明"], pushRows, empty: "尚无登记"))
            \(Console.pager(pushes, path: "/console/admission/community", query: [("community", c.code)]))
            \(forms)
            """
        return Console.page(req, user, title: c.name + "事项准入", crumbs: AdmissionPages.crumbs + [Crumb(c.name)], body: body, status: status)
    }

    func push(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionCommunity)
        let f = (try? req.content.decode(PushForm.self)) ?? PushForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let input = try AdmissionService.push(AdmissionService.PushBody(communityCode: f.community, departmentCode: f.department_code, title: f.title,
                                                                            pushedOn: f.pushed_on, channel: f.channel, note: f.note))
            let p = try await req.admission.recordPush(community: f.community, input, by: req.admissionActor)
            return req.redirect(to: "/console/admission/community?community=\(p.communityCode)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, community: f.community, push: f, funds: nil, errors: errors, status: .unprocessableEntity)
        }
    }

    func funds(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionCommunity)
        let f = (try? req.content.decode(FundsForm.self)) ?? FundsForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let fen: Int64?
            switch DisclosureRules.fen(fromYuan: f.amount_yuan) {
            case .none: throw RegistryError.invalid([FieldError("amount_fen", "金额应为不超过两位小数的数（元）")])
            case .some(let v): fen = v
            }
            let year = try f.year.flatMap { t -> Int? in
                let t = t.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                guard t.count <= 4, let y = Int(t) else { throw RegistryError.invalid([FieldError("year", "年度应为四位数字")]) }
                return y
            }
            let (id, input) = try AdmissionService.funds(AdmissionService.FundsBody(taskId: f.task_id, communityCode: f.community, year: year, amountFen: fen,
                                                                                   receivedOn: f.received_on))
            let x = try await req.admission.recordFunds(task: id, community: f.community, input, by: req.admissionActor)
            return req.redirect(to: "/console/admission/community?community=\(x.communityCode)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, community: f.community, push: nil, funds: f, errors: errors, status: .unprocessableEntity)
        }
    }
}
