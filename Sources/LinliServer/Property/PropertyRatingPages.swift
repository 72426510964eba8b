import Foundation
import LinliCore
import LinliData
import Vapor

/// 物业服务评价 on the residents' portal: a signed-in resident (account linked to the registry) sees their household's
/// compound and the company serving it, and rates this year's service once (满意度 1–5 and a short comment), or sees the
/// rating their household gave. And the console's parts: a compound's score and its property requests, the list's
/// score column, a company's scores by compound.
struct PropertyRatingPages {
    func boot(_ routes: Routes) {
        routes.get("property", "rating", needs: .open, use: show)
        routes.post("property", "rating", needs: .permission(.propertyRate), use: rate)
    }

    struct Form: Content {
        var csrf: String?
        var score: String?
        var comment: String?
    }

    static let about: Markup = "<p>每户每年可以对所住小区的物业服务评价一次（满意度5分为非常满意，1分为非常不满意），评价结果计入该小区和物业服务企业的年度满意度，由社区和街道督促改进。</p>"

    func show(req: Request) async throws -> Response {
        try await render(req, Form(), errors: [], message: nil, status: .ok)
    }

    func render(_ req: Request, _ v: Form, errors: [FieldError], message: String?, status: HTTPResponseStatus) async throws -> Response {
        let year = req.application.linli.today().year
        var part: Markup
        if let user = try? req.webUser(), user.may(.propertyRate) {
            if let person = try await req.linkedResident() {
                if let c = try await req.property.compound(ofHousehold: person.householdId) {
                    let management: Markup = c.mode == .company ? "物业服务企业：\(c.companyName ?? "")"
                        : c.mode == .quasi ? "社区准物业管理（\(c.services.map(\.label).joined(separator: "、"))）" : "目前无人管理"
                    part = "<dl class=\"facts\"><dt>小区</dt><dd>\(c.name)</dd><dt>管理方式</dt><dd>\(management)</dd></dl>"
                    if let r = try await req.property.rating(household: person.householdId, year: year) {
                        part = part + """
                            <section id="own-rating"><h2>\(year)年的评价</h2>
                            <p>您家已评价：<b>\(r.score)分（\(SatisfactionScore(rawValue: r.score)?.label ?? "")）</b></p>
                            \(r.comment.map { "<p>意见建议：\($0)</p>" as Markup }.orEmpty)</section>
                            """
                    } else {
                        part = part + form(user, v, errors: errors, year: year)
                    }
                } else {
                    part = "<p class=\"notice\">您家所在的楼栋尚未归入小区，暂不能评价物业服务，请联系社区。</p>"
                }
            } else {
                part = "<p>评价物业服务前，请先在<a href=\"/volunteer\">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>"
            }
        } else if req.principal == nil {
            part = "<p>小区居民<a href=\"/login\">登录</a>并完成实名核验后可以评价物业服务。</p>"
        } else {
            part = "<p>物业服务评价由小区居民填写。</p>"
        }
        let body: Markup = """
            <h1>物业服务评价</h1>
            \(Self.about)
            \(message.map { "<p class=\"flash\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            \(part)
            """
        return PortalPages.page(req, title: "物业服务评价", body: body, status: status)
    }

    func form(_ user: WebUser, _ v: Form, errors: [FieldError], year: Int) -> Markup {
        let scoreError = errors.first { $0.field == "score" }?.message
        let invalid: Markup = scoreError == nil ? .empty : " aria-invalid=\"true\" aria-describedby=\"f-score-err\""
        let radios: [Markup] = SatisfactionScore.allCases.reversed().map { s in
            "<label class=\"choice\"><input type=\"radio\" name=\"score\" value=\"\(s.rawValue)\"\(v.score == String(s.rawValue) ? " checked" : "") required\(invalid)> \(s.rawValue)分 \(s.label)</label><br>"
        }
        return """
            <h2>评价\(year)年的物业服务</h2>
            <form method="post" action="/property/rating">\(Console.csrfField(user))
            <fieldset class="field\(scoreError == nil ? "" : " invalid")"><legend>满意度<span class="req" aria-hidden="true">*</span></legend>
            \(scoreError.map { "<p id=\"f-score-err\" class=\"field-error\">\($0)</p>" as Markup }.orEmpty)\(radios.joined())</fieldset>
            \(Console.textarea("意见建议（选填，最多\(PropertyRatingRules.maxComment)字）", name: "comment", value: v.comment, error: errors.first { $0.field == "comment" }?.message,
                               maxLength: PropertyRatingRules.maxComment))
            <button type="submit">提交评价</button></form>
            """
    }

    func rate(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRate)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        do {
            var score: Int?
            if let s = form.score?.trimmedOrNil {
                guard let n = Int(s) else { throw RegistryError.invalid([FieldError("score", "满意度应为1至5分（5分非常满意，1分非常不满意）")]) }
                score = n
            }
            _ = try await req.property.rate(PropertyRatingInput(score: score, comment: form.comment), resident: try await req.linkedResident(), by: req.auditActor)
            return try await render(req, Form(), errors: [], message: "感谢您的评价。", status: .ok)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, form, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, form, errors: [e], message: nil, status: .conflict)
        }
    }

    // MARK: the console's parts

    /// "4.3分（满意 85%，40户评价）" or "—" without ratings.
    static func scoreText(_ s: CompoundScore?) -> String {
        guard let s, let avg = s.average, let pct = s.satisfiedPercent else { return "—" }
        return String(format: "%.1f分（满意 %.0f%%，%d户评价）", avg, pct, s.ratings)
    }

    static func hours(_ h: Double?) -> String { h.map { String(format: "%.1f 小时", $0) } ?? "—" }

    /// The compound page's 物业服务评价: this year's score by company rated, and the property requests beside it.
    static func compoundSection(_ req: Request, _ c: CompoundRecord) async throws -> Markup {
        let year = try ratingYear(req)
        let scores = try await req.property.scores(year: year, in: req.registryScope, compound: c.id)
        let rows = scores.map { s -> [Markup] in
            [s.companyId.map { "<a href=\"/console/property/companies/\($0)\">\(s.companyName ?? "—")</a>" as Markup } ?? "（无物业服务企业）", "\(s.ratings)",
             Markup.text(s.average.map { String(format: "%.2f", $0) } ?? "—"), Markup.text(s.satisfiedPercent.map { String(format: "%.1f%%", $0) } ?? "—")]
        }
        let total = CompoundScore.combined(scores)
        let r = try await req.property.propertyRequests(compound: c.id, year: year)
        let onTime = r.closed == 0 ? "—" : String(format: "%.1f%%", Double(r.onTime) * 100 / Double(r.closed))
        return """
            <section id="ratings" aria-labelledby="ratings-h"><h2 id="ratings-h">物业服务评价（\(year)年）</h2>
            \(yearLinks(req, year, anchor: "ratings"))
            <p>居民评价：<b id="compound-score">\(scoreText(total))</b>，占本小区 \(c.households) 户的 \(c.households == 0 ? "—" : String(format: "%.0f%%", Double(total?.ratings ?? 0) * 100 / Double(c.households)))</p>
            \(Console.table(["评价的物业服务企业", "评价户数", "平均分", "满意率（4分以上）"], rows, empty: "\(year)年尚无居民评价"))
            <h3>物业诉求（物业纠纷、电梯故障、楼道照明损坏）</h3>
            <dl class="facts" id="property-requests"><dt>\(year)年受理</dt><dd>\(r.received)</dd><dt>\(year)年办结</dt><dd>\(r.closed)</dd><dt>按时办结率</dt><dd>\(onTime)</dd>
            <dt>办结用时（中位数）</dt><dd>\(hours(r.medianHours))</dd><dt>办结用时（平均）</dt><dd>\(hours(r.averageHours))</dd></dl></section>
            """
    }

    /// The year whose ratings a compound or company page shows: `?year=`, this year by default (earlier years stay
    /// readable, so a street can set this year's score beside last year's).
    static func ratingYear(_ req: Request) throws -> Int {
        let thisYear = req.application.linli.today().year
        return try req.queryInt("year", in: firstRatingYear...thisYear) ?? thisYear
    }

    /// The earliest year `?year=` takes, and so the last 上一年 link.
    static let firstRatingYear = 2000

    /// 上一年 / 下一年 links to the same page.
    static func yearLinks(_ req: Request, _ year: Int, anchor: String) -> Markup {
        let thisYear = req.application.linli.today().year
        var links: [Markup] = []
        if year > firstRatingYear { links.append("<a href=\"?year=\(year - 1)#\(anchor)\">← \(year - 1)年</a>") }
        if year < thisYear { links.append("<a href=\"?year=\(year + 1)#\(anchor)\">\(year + 1)年 →</a>") }
        return "<p class=\"actions year-links\">\(links.joined(separator: " · "))</p>"
    }

    /// The company page's scores: its compounds of the caller's area rated this year.
    static func companySection(_ req: Request, company id: UUID) async throws -> Markup {
        let year = try ratingYear(req)
        let scores = try await req.property.scores(year: year, in: req.registryScope, company: id)
        let rows = scores.map { s -> [Markup] in
            ["<a href=\"/console/property/\(s.compoundId)\">\(s.compoundName)</a>", "\(s.ratings)", Markup.text(s.average.map { String(format: "%.2f", $0) } ?? "—"),
             Markup.text(s.satisfiedPercent.map { String(format: "%.1f%%", $0) } ?? "—")]
        }
        let all = CompoundScore.combined(scores)
        return """
            <section id="company-scores"><h2>居民评价（\(year)年）</h2>
            \(yearLinks(req, year, anchor: "company-scores"))
            <p>本辖区合计：\(scoreText(all))</p>
            \(Console.table(["小区", "评价户数", "平均分", "满意率（4分以上）"], rows, empty: "\(year)年本辖区尚无对该企业的评价"))</section>
            """
    }
}
