import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 助残康复 pages: the roll with its filters (names and card numbers masked) and the form that
/// registers a card. A card's own page and its forms are in `DisabilityCardPages`. Forms post with the CSRF token;
/// the data layer is the API's, so scope, rules and audit are the same.
struct DisabilityPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "disability")
        d.get(needs: .permission(.disabilityRead), use: list)
        d.get("new", needs: .permission(.disabilityWrite), use: newCard)
        d.post("new", needs: .permission(.disabilityWrite), use: register)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("助残康复", "/console/disability")]
    static let clause = "完善社区助残服务体系，坚持“出现一个、扶助一个，扶助一个、解决一个”的宗旨；机构康复、社区康复、家庭康复相互依托。"

    static func tabs(_ current: String, _ user: WebUser) -> Markup {
        var items = [("持证残疾人", "/console/disability"), ("逾期未评估", "/console/disability?overdue=true")]
        if user.may(.disabilityWrite) { items.append(("登记残疾人证", "/console/disability/new")) }
        return "<p class=\"tabs\">\(items.map { l, h -> Markup in h == current ? "<b>\(l)</b>" : "<a href=\"\(h)\">\(l)</a>" }.joined(separator: " · "))</p>"
    }

    static func badges(_ c: DisabilityCardDTO) -> Markup {
        if c.status == .ended { return "<span class=\"badge\">已注销</span>" }
        if !c.holderActive { return "<span class=\"badge red\">持证人已离册，待注销</span>" }
        let assess: Markup = c.assessmentOverdue ? "<span class=\"badge red\">逾期未评估</span>"
            : c.lastAssessedOn == nil ? "<span class=\"badge yellow\">待评估</span>" : "<span class=\"badge\">已评估</span>"
        let rehab: Markup = c.inRehab ? " <span class=\"badge green\">康复中</span>" : .empty
        return "\(assess)\(rehab)"
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.disabilityRead)
        var filter = DisabilityFilter()
        let category = req.formQuery("category"), grade = req.formQuery("grade"), status = req.formQuery("status")
        filter.category = category.flatMap(DisabilityCategory.init(rawValue:))
        filter.grade = grade.flatMap(Int.init).flatMap(DisabilityGrade.init(rawValue:))
        filter.status = status == "all" ? nil : status.flatMap(DisabilityCardStatus.init(rawValue:)) ?? .active
        filter.overdue = req.formFlag("overdue")
        filter.unassessed = req.formFlag("unassessed")
        let scope = try req.narrowedScope(), division = req.formQuery("division")
        let q = req.disability, today = req.application.linli.today()
        let page = try await q.cards(in: scope, filter: filter, page: req.consolePage(perPage: 30))
        let f = try await q.figures(in: scope)
        let rows = page.items.map { r -> [Markup] in
            let c = DisabilityCardDTO(r, today: today)
            return ["<a href=\"/console/disability/\(c.id)\">\(c.name)</a>", Markup.text(c.categoryLabel), Markup.text(c.gradeLabel),
                    Markup.text(c.numberMasked), Markup.text(c.registeredOn), Markup.text(c.lastAssessedOn ?? "—"), Self.badges(c)]
        }
        func pct(_ n: Int) -> String { f.holders == 0 ? "—" : String(format: "%.1f%%", Double(n) * 100 / Double(f.holders)) }
        let tiles: Markup = """
            <div class="tiles">
              <div class="tile"><span>持证残疾人</span><b>\(f.holders)</b></div>
              <div class="tile"><span>已做需求评估</span><b>\(pct(f.assessed))</b></div>
              <div class="tile"><span>近12个月接受康复服务</span><b>\(pct(f.inRehab))</b></div>
              <a class="tile \(f.overdue > 0 ? "red" : "")" href="/console/disability?overdue=true"><span>逾期未评估</span><b>\(f.overdue)</b></a>
            </div>
            """
        let categoryOptions = [("", "全部类别")] + DisabilityCategory.allCases.map { ($0.rawValue, $0.label) }
        let gradeOptions = [("", "全部等级")] + DisabilityGrade.allCases.map { (String($0.rawValue), $0.label) }
        let statusOptions = [("", "有效"), ("ended", "已注销"), ("all", "全部")]
        let current = filter.overdue ? "/console/disability?overdue=true" : "/console/disability"
        let body: Markup = """
            <h1>助残康复</h1>
            \(Self.tabs(current, user))
            <p class="muted">\(Self.clause)新登记的持证人应在30天内完成需求评估。</p>
            \(tiles)
            <form method="get" action="/console/disability" class="filters">
              \(Console.select("残疾类别", name: "category", options: categoryOptions, selected: category))
              \(Console.select("残疾等级", name: "grade", options: gradeOptions, selected: grade))
              \(Console.select("证件状态", name: "status", options: statusOptions, selected: status))
              \(Console.select("需求评估", name: "overdue", options: [("", "全部"), ("true", "逾期未评估（登记超过30天）")], selected: filter.overdue ? "true" : nil))
              <button type="submit">筛选</button>
            </form>
            \(Console.table(["持证人", "类别", "等级", "残疾人证号", "登记日期", "最近评估", "状态"], rows, empty: "没有符合条件的持证残疾人"))
            \(Console.pager(page, path: "/console/disability", query: [("division", division), ("category", category), ("grade", grade), ("status", status),
                                                                     ("overdue", filter.overdue ? "true" : nil)]))
            """
        return Console.page(req, user, title: "助残康复", crumbs: [Crumb("工作台", "/console"), Crumb("助残康复")], body: body)
    }

    // MARK: Registering a card

    struct CardForm: Content {
        var csrf: String?
        var resident: String?
        var card_number: String?
        var category: String?
        var grade: String?
        var issued_on: String?
        var valid_until: String?
        var version: String?
    }

    func newCard(req: Request) async throws -> Response {
        let user = try req.webUser(.disabilityWrite)
        var form = CardForm()
        form.resident = req.formQuery("resident")
        return try await renderForm(req, user, form: form, errors: [], status: .ok)
    }

    func register(req: Request) async throws -> Response {
        let user = try req.webUser(.disabilityWrite)
        let form = (try? req.content.decode(CardForm.self)) ?? CardForm()
        try req.checkCSRF(user, form.csrf)
        do {
            // Without a holder chosen, the holder is the resident whose ID number begins the card number.
            var resident = form.resident.flatMap { UUID(uuidString: $0) }
            if resident == nil, let n = form.card_number?.trimmingCharacters(in: .whitespaces), n.count >= 18 {
                resident = try await req.residents.find(idNumber: String(n.prefix(18)).uppercased(), in: req.registryScope)?.id
                if resident == nil {
                    throw RegistryError.invalid([FieldError("card_number", "您的管辖范围内没有公民身份号码为残疾人证号前18位的在册居民")])
                }
            }
            let input = DisabilityService.CardInput(residentId: resident, cardNumber: form.card_number, category: form.category?.trimmedOrNil,
                                                    grade: form.grade?.trimmedOrNil.map { Int($0) ?? 0 }, issuedOn: form.issued_on, validUntil: form.valid_until)
            let c = try await req.disability.register(try DisabilityService.card(input), by: req.disabilityActor)
            return req.redirect(to: "/console/disability/\(c.id)")
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await renderForm(req, user, form: form, errors: [error], status: .conflict)
        }
    }

    func renderForm(_ req: Request, _ user: WebUser, form: CardForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        var holder: Markup = Console.field("持证人编号（可不填）", name: "resident", value: form.resident, error: err("resident_id"),
                                           hint: "不填时按残疾人证号前18位（公民身份号码）在本辖区查找在册居民")
        if let id = form.resident.flatMap({ UUID(uuidString: $0) }), let r = try await req.residents.find(id: id, in: req.registryScope) {
            holder = """
                <p>持证人：<a href="/console/residents/\(r.id)">\(r.name)</a>（\(r.idMasked)）</p>
                <input type="hidden" name="resident" value="\(r.id.uuidString)">
                \(err("resident_id").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)
                """
        }
        let categoryOptions = [("", "请选择")] + DisabilityCategory.allCases.map { ($0.rawValue, "\($0.digit) \($0.label)") }
        let gradeOptions = [("", "请选择")] + DisabilityGrade.allCases.map { (String($0.rawValue), $0.label) }
        let body: Markup = """
            <h1>登记残疾人证</h1>
            \(Self.tabs("/console/disability/new", user))
            <p class="muted">残疾人证号为20位：持证人的18位公民身份号码，加残疾类别代码（1视力、2听力、3言语、4肢体、5智力、6精神、7多重）和残疾等级代码（1至4）。证号加密保存，列表只显示部分号码。</p>
            \(Console.formErrors(errors))
            <form method="post" action="/console/disability/new" class="form">
              \(Console.csrfField(user))
              \(holder)
              \(Console.field("残疾人证号", name: "card_number", value: form.card_number, error: err("card_number"), required: true, extra: "maxlength=\"20\" autocomplete=\"off\""))
              \(Console.select("残疾类别", name: "category", options: categoryOptions, selected: form.category, error: err("category"), required: true))
              \(Console.select("残疾等级", name: "grade", options: gradeOptions, selected: form.grade, error: err("grade"), required: true))
              \(Console.field("发证日期", name: "issued_on", value: form.issued_on, error: err("issued_on"), type: "date", required: true))
              \(Console.field("有效期至", name: "valid_until", value: form.valid_until, error: err("valid_until"), type: "date"))
              <button type="submit">登记</button>
            </form>
            """
        return Console.page(req, user, title: "登记残疾人证", crumbs: Self.crumbs + [Crumb("登记残疾人证")], body: body, status: status)
    }
}
