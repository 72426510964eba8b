import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: the 公示 of each community, readable without signing in, with a form to object; and
/// a signed-in resident's own household's cases. The notice shows the surname only, the household size, the
/// kind, the amount and the dates — never an ID number, an address or an income.
struct AssistancePortalPages {
    let objectionLimiter: RateLimiter

    func boot(_ routes: Routes) {
        routes.get("notices", needs: .open, use: communities)
        routes.get("notices", ":community", needs: .open, use: notices)
        routes.on(.POST, "notices", ":community", ":id", "objections", needs: .open, body: .collect(maxSize: "16kb"), use: object)
        routes.get("my", "assistance", needs: .permission(.assistanceOwn), use: mine)
    }

    func communities(req: Request) async throws -> Response {
        let list = try await req.assistance.noticeCommunities()
        let items = list.map { c -> Markup in "<li><a href=\"/notices/\(c.code)\">\(c.name)</a>（\(c.count)件）</li>" }
        let body: Markup = """
            <h1>社会救助公示</h1>
            <p>按照规定，最低生活保障、特困人员救助供养等申请在审批前须在申请人所在村（社区）公示，公示期不少于7天。对公示对象有异议的，可以在公示期内提出。</p>
            \(items.isEmpty ? "<p class=\"empty\">目前没有公示中的救助申请。</p>" : "<ul>\(items)</ul>")
            """
        return PortalPages.page(req, title: "社会救助公示", body: body)
    }

    func notices(req: Request) async throws -> Response {
        try await renderNotices(req, message: nil, errors: [], failedCase: nil, status: .ok)
    }

    func renderNotices(_ req: Request, message: String?, errors: [FieldError], failedCase: UUID?, status: HTTPResponseStatus) async throws -> Response {
        guard let raw = req.parameters.get("community"), let code = try? DivisionCode(raw), code.level == .community,
              let division = try await DivisionQueries(req.db).find(code: code.value)
        else { throw RegistryError.notFound("村/社区") }
        let list = try await req.assistance.notices(community: code.value)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let rows = list.map { n -> [Markup] in
            let form: Markup = """
                <details\(failedCase == n.id ? " open" : "")><summary>提出异议</summary>
                <form method="post" action="/notices/\(code.value)/\(n.id)/objections">\(PortalPages.csrfField(req))
                \(Console.textarea("异议的事实和理由", name: "text", error: failedCase == n.id ? err("text") : nil, required: true, maxLength: 1000))
                \(Console.field("联系方式（可不填，加密保存）", name: "contact", error: failedCase == n.id ? err("contact") : nil, extra: "maxlength=\"100\""))
                <button type="submit">提交异议</button></form></details>
                """
            return [Markup.text(n.number), Markup.text(n.maskedName), "\(n.members)人", Markup.text(n.kind.label),
                    "\(n.amount)元\(n.kind.isMonthly ? "/月" : "")", Markup.text("\(n.noticeFrom) 至 \(n.noticeTo)"), form]
        }
        let body: Markup = """
            <h1>\(division.name) · 社会救助公示</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            <p class="muted">公示期满即不再显示。异议交街道（镇）核实，核实期间暂停审批。</p>
            \(Console.table(["编号", "申请人", "家庭人数", "救助类别", "拟救助金额", "公示期", ""], rows, empty: "目前没有公示中的救助申请"))
            <p><a href="/notices">其他村（社区）的公示</a></p>
            """
        return PortalPages.page(req, title: division.name + "社会救助公示", body: body, status: status)
    }

    struct ObjectionForm: Content {
        var csrf: String?
        var text: String?
        var contact: String?
    }

    func object(req: Request) async throws -> Response {
        let f = (try? req.content.decode(ObjectionForm.self)) ?? ObjectionForm()
        try PortalPages.checkCSRF(req, f.csrf)
        let id = try req.pathUUID()
        do {
            try await AssistanceService.object(req, caseID: id, text: f.text, contact: f.contact, limiter: objectionLimiter)
        } catch RegistryError.invalid(let errors) {
            return try await renderNotices(req, message: nil, errors: errors, failedCase: id, status: .unprocessableEntity)
        }
        return try await renderNotices(req, message: "异议已收到，将由街道（镇）核实处理。", errors: [], failedCase: nil, status: .ok)
    }

    /// 我家的救助: the cases of the signed-in resident's household, their stage and the next step.
    func mine(req: Request) async throws -> Response {
        let p = try req.requireSignedIn()
        let today = req.application.linli.today()
        let cases = try await req.assistance.ownCases(account: p.account.id)
        let rows = (cases ?? []).map { r -> [Markup] in
            let c = AssistanceCaseDTO(r, today: today)
            let state: String
            switch c.stage {
            case .approved: state = c.monthly ? "已批准，每月\(c.amount)元，自\(c.firstMonth ?? "")起发放" : "已批准，\(c.amount)元"
            case .refused: state = "不予批准：\(c.reason ?? "")"
            case .ended: state = "已终止：\(c.reason ?? "")"
            case .noticed: state = "公示中（至\(c.noticeTo ?? "")）"
            default: state = "办理中（\(c.stageLabel)），预计\(c.dueOn)前作出决定"
            }
            return [Markup.text(c.number), Markup.text(c.kindLabel), Markup.text(c.acceptedOn), Markup.text(state)]
        }
        let body: Markup = """
            <h1>我家的救助</h1>
            \(cases == nil ? "<p class=\"notice\">您的账号尚未与人口登记关联，请到所在社区办理关联后查看。</p>" : Markup.empty)
            \(Console.table(["编号", "类别", "受理日期", "办理情况"], rows, empty: "本户没有救助申请"))
            <p class="muted">如需申请救助，请到户籍或居住地所在社区（村）提出，社区可代为受理。</p>
            """
        return PortalPages.page(req, title: "我家的救助", body: body)
    }
}
