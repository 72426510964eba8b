import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 财务公开 pages: a community's ledger of a quarter (entries, the form that records one, the
/// street's approval, reversing entries), its statements and the form that publishes a quarter's statement,
/// the .xlsx of the ledger, and the street's list of entries waiting for approval.
struct DisclosureLedgerPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "disclosure")
        d.get("ledger", needs: .permission(.disclosureRead), use: ledger)
        d.post("ledger", needs: .permission(.disclosureWrite), use: addEntry)
        d.get("ledger", "export", needs: .permission(.disclosureRead), use: export)
        d.post("ledger", ":id", "approve", needs: .permission(.disclosureApprove), use: approve)
        d.post("ledger", ":id", "edit", needs: .permission(.disclosureWrite), use: editEntry)
        d.post("ledger", ":id", "reverse", needs: .permission(.disclosureWrite), use: reverse)
        d.post("statements", needs: .permission(.disclosureApprove), use: publishStatement)
        d.get("pending", needs: .permission(.disclosureApprove), use: pending)
    }

    struct EntryForm: Content {
        var csrf: String?
        var community: String?
        var direction: String?
        var on_date: String?
        var subject: String?
        var counterpart: String?
        var amount: String?
        var voucher_no: String?
        /// Set when a pending entry is edited: the version the form was filled from.
        var version: String?
    }

    struct ActionForm: Content {
        var csrf: String?
        var community: String?
        var quarter: String?
        var back: String?
    }

    func quarter(_ req: Request, _ raw: String?) -> Quarter {
        raw.flatMap { Quarter($0) } ?? Quarter.of(req.application.linli.today())
    }

    func ledger(req: Request) async throws -> Response {
        try await render(req, community: req.formQuery("community"), quarter: quarter(req, req.formQuery("quarter")), form: nil, errors: [], message: nil,
                         status: .ok, editing: req.formQuery("edit").flatMap(UUID.init(uuidString:)))
    }

    /// `editing`: a pending entry of the page whose values fill the form, which then saves that entry.
    func render(_ req: Request, community raw: String?, quarter q: Quarter, form: EntryForm?, errors: [FieldError], message: String?,
                status: HTTPResponseStatus, editing: UUID? = nil) async throws -> Response {
        let user = try req.webUser(.disclosureRead)
        let d = req.disclosure
        let c = try await d.community(raw, in: req.registryScope)
        let entries = try await d.entries(of: c.code, quarter: q)
        let statements = try await d.statements(of: c.code)
        let published = statements.first { $0.quarter == q.description }
        let vouchers = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.voucherNo) })
        let csrf = Console.csrfField(user)
        let rows = entries.map { x -> [Markup] in
            var actions = Markup.empty
            if x.status == .pending && user.may(.disclosureApprove) {
                actions += "<form method=\"post\" action=\"/console/disclosure/ledger/\(x.id)/approve\" class=\"inline\">\(csrf)<input type=\"hidden\" name=\"back\" value=\"\(q.description)\"><button type=\"submit\">审核通过</button></form>"
            }
            if x.status == .pending && user.may(.disclosureWrite) {
                actions += " <a href=\"/console/disclosure/ledger?community=\(c.code)&amp;quarter=\(q.description)&amp;edit=\(x.id)#entry-form\">修改</a>"
            }
            if x.status != .pending && x.reversesId == nil && x.reversedById == nil && user.may(.disclosureWrite) {
                actions += "<form method=\"post\" action=\"/console/disclosure/ledger/\(x.id)/reverse\" class=\"inline\">\(csrf)<button type=\"submit\" class=\"link\">冲正</button></form>"
            }
            let note: String = x.reversesId.map { "冲正凭证\(vouchers[$0] ?? "（以前季度）")" } ?? (x.reversedById != nil ? "已冲正" : "")
            return [Markup.text(x.onDate), Markup.text(x.voucherNo), Markup.text(x.direction.label), Markup.text(x.subject), Markup.text(x.counterpart),
                    Markup.text(DisclosureRules.yuan(x.signedFen)), Markup.text(x.status.label), Markup.text(note), actions]
        }
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let edited = editing.flatMap { id in entries.first { $0.id == id && $0.status == .pending } }
        let v = form ?? edited.map { x in
            EntryForm(direction: x.direction.rawValue, on_date: x.onDate, subject: x.subject, counterpart: x.counterpart,
                      amount: DisclosureRules.yuan(x.amountFen).replacingOccurrences(of: ",", with: ""), voucher_no: x.voucherNo, version: String(x.version))
        } ?? EntryForm(on_date: req.application.linli.today().description)
        let heading: Markup = edited.map { "修改账目（凭证号 \($0.voucherNo)）" } ?? "记一笔账"
        let action = edited.map { "/console/disclosure/ledger/\($0.id)/edit" } ?? "/console/disclosure/ledger"
        let addForm: Markup = user.may(.disclosureWrite) ? """
            <h2 id="entry-form">\(heading)</h2>
            <form method="post" action="\(action)">\(csrf)
            \(edited == nil ? Markup.empty : "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">")
            <input type="hidden" name="community" value="\(c.code)">
            \(Console.select("收支", name: "direction", options: LedgerDirection.allCases.map { ($0.rawValue, $0.label) }, selected: v.direction, error: err("direction"), required: true))
            \(Console.field("记账日期", name: "on_date", value: v.on_date, error: err("on_date"), type: "date", required: true))
            \(Console.field("科目", name: "subject", value: v.subject, error: err("subject"), required: true,
                            hint: "如：" + (LedgerSubjects.income + LedgerSubjects.expense).prefix(8).joined(separator: "、"), extra: "maxlength=\"60\""))
            \(Console.field("对方单位或个人", name: "counterpart", value: v.counterpart, error: err("counterpart"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("金额（元）", name: "amount", value: v.amount, error: err("amount_fen"), required: true, hint: "最多两位小数",
                            extra: "inputmode=\"decimal\" maxlength=\"13\" pattern=\"[0-9]+(\\.[0-9]{1,2})?\""))
            \(Console.field("凭证号", name: "voucher_no", value: v.voucher_no, error: err("voucher_no"), required: true, extra: "maxlength=\"30\""))
            <button type="submit">\(edited == nil ? "记账" : "保存修改")</button>\(edited == nil ? Markup.empty : " <a href=\"/console/disclosure/ledger?community=\(c.code)&amp;quarter=\(q.description)\">取消</a>")</form>
            """ : .empty
        let statementPart: Markup
        if let s = published {
            let lines = s.statementLines.map { l -> [Markup] in [Markup.text(l.direction.label), Markup.text(l.subject), Markup.text(DisclosureRules.yuan(l.amountFen))] }
            statementPart = """
                <p>\(q.label)收支公开表已于 \(s.publishedOn) 公开（<a href="/notices/public/\(c.code)/\(s.noticeId)">公告</a>）：期初 \(DisclosureRules.yuan(s.openingFen)) 元，收入 \(DisclosureRules.yuan(s.incomeFen)) 元，支出 \(DisclosureRules.yuan(s.expenseFen)) 元，期末 \(DisclosureRules.yuan(s.closingFen)) 元。</p>
                \(Console.table(["收支", "科目", "金额（元）"], lines))
                """
        } else if user.may(.disclosureApprove) && q.end < req.application.linli.today() {
            statementPart = """
                <form method="post" action="/console/disclosure/statements">\(csrf)
                <input type="hidden" name="community" value="\(c.code)"><input type="hidden" name="quarter" value="\(q.description)">
                \(errors.first { $0.field == "quarter" }.map { "<p class=\"field-error\">\($0.message)</p>" as Markup }.orEmpty)
                <button type="submit">生成并公开\(q.label)收支公开表</button></form>
                """
        } else {
            statementPart = "<p class=\"muted\">\(q.label)收支公开表尚未公开（季度结束后由街道审核公开，期限为次月月底 \(q.publishDeadline.description)）。</p>"
        }
        let nav: Markup = "<a href=\"/console/disclosure/ledger?community=\(c.code)&amp;quarter=\(q.previous.description)\">上一季度</a> · <a href=\"/console/disclosure/ledger?community=\(c.code)&amp;quarter=\(q.next.description)\">下一季度</a> · <a href=\"/console/disclosure/ledger/export?community=\(c.code)&amp;quarter=\(q.description)\">导出 .xlsx</a>"
        let body: Markup = """
            <h1>\(c.name) · 财务公开 · \(q.label)</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as Markup }.orEmpty)
            \(Console.formErrors(errors))
            <p>\(nav)</p>
            <p class="muted">账目经街道审核后才计入季度收支公开表；已审核或已公开的账目不能修改，差错以冲正分录更正，公开表同时列出原账目和冲正分录。</p>
            \(Console.table(["日期", "凭证号", "收支", "科目", "对方", "金额（元）", "状态", "说明", ""], rows, empty: "本季度尚无账目"))
            <h2>季度收支公开表</h2>
            \(statementPart)
            \(addForm)
            """
        return Console.page(req, user, title: c.name + "财务公开", crumbs: DisclosurePages.crumbs + [Crumb(c.name + "财务公开")], body: body, status: status)
    }

    func addEntry(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let f = (try? req.content.decode(EntryForm.self)) ?? EntryForm()
        try req.checkCSRF(user, f.csrf)
        let day = (try? DisclosureService.date(f.on_date, field: "on_date")) ?? nil
        let q = day.map(Quarter.of) ?? Quarter.of(req.application.linli.today())
        do {
            guard let amount = DisclosureRules.fen(fromYuan: f.amount) else { throw RegistryError.invalid([FieldError("amount_fen", "金额应为元，最多两位小数")]) }
            let input = LedgerEntryInput(direction: try DisclosureService.direction(f.direction), onDate: try DisclosureService.date(f.on_date, field: "on_date"),
                                         subject: f.subject, counterpart: f.counterpart, amountFen: amount, voucherNo: f.voucher_no)
            let x = try await req.disclosure.addEntry(community: f.community, input, by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/ledger?community=\(x.communityCode)&quarter=\(x.quarter)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, community: f.community, quarter: q, form: f, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, community: f.community, quarter: q, form: f, errors: [e], message: nil, status: .conflict)
        }
    }

    /// Saves a pending entry edited on the ledger page; approved or published entries are never edited (409), nor a stale form.
    func editEntry(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let id = try req.pathUUID()
        let f = (try? req.content.decode(EntryForm.self)) ?? EntryForm()
        try req.checkCSRF(user, f.csrf)
        let x = try await req.disclosure.entry(id, in: req.registryScope)
        let q = Quarter(x.quarter) ?? Quarter.of(req.application.linli.today())
        do {
            guard let version = f.version.flatMap({ Int($0) }), (1...Int(Int32.max)).contains(version) else {
                throw RegistryError.invalid([FieldError("version", "缺少版本号，请重新打开修改")])
            }
            guard let amount = DisclosureRules.fen(fromYuan: f.amount) else { throw RegistryError.invalid([FieldError("amount_fen", "金额应为元，最多两位小数")]) }
            let input = LedgerEntryInput(direction: try DisclosureService.direction(f.direction), onDate: try DisclosureService.date(f.on_date, field: "on_date"),
                                         subject: f.subject, counterpart: f.counterpart, amountFen: amount, voucherNo: f.voucher_no)
            let saved = try await req.disclosure.editEntry(id, input, version: version, by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/ledger?community=\(saved.communityCode)&quarter=\(saved.quarter)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, community: x.communityCode, quarter: q, form: f, errors: errors, message: nil, status: .unprocessableEntity, editing: id)
        } catch RegistryError.staleVersion {
            return try await render(req, community: x.communityCode, quarter: q, form: nil,
                                    errors: [FieldError("version", "这笔账目已被他人修改，请核对后重新提交")], message: nil, status: .conflict, editing: id)
        } catch RegistryError.conflict(let e) {
            return try await render(req, community: x.communityCode, quarter: q, form: nil, errors: [e], message: nil, status: .conflict)
        }
    }

    func approve(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureApprove)
        let f = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, f.csrf)
        let x = try await req.disclosure.approve(try req.pathUUID(), by: req.disclosureActor)
        if f.back == "pending" { return req.redirect(to: "/console/disclosure/pending", redirectType: .normal) }
        return req.redirect(to: "/console/disclosure/ledger?community=\(x.communityCode)&quarter=\(x.quarter)", redirectType: .normal)
    }

    func reverse(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let f = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, f.csrf)
        let x = try await req.disclosure.reverse(try req.pathUUID(), on: nil, voucherNo: nil, by: req.disclosureActor)
        return req.redirect(to: "/console/disclosure/ledger?community=\(x.communityCode)&quarter=\(x.quarter)", redirectType: .normal)
    }

    func publishStatement(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureApprove)
        let f = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, f.csrf)
        let q = quarter(req, f.quarter)
        do {
            let s = try await req.disclosure.publishStatement(community: f.community, quarter: f.quarter, by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/ledger?community=\(s.communityCode)&quarter=\(s.quarter)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, community: f.community, quarter: q, form: nil, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, community: f.community, quarter: q, form: nil, errors: [e], message: nil, status: .conflict)
        }
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.disclosureRead)
        return try await DisclosureService.export(req, community: req.formQuery("community"), quarter: req.formQuery("quarter"))
    }

    func pending(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureApprove)
        let list = try await req.disclosure.pending(in: req.registryScope)
        let csrf = Console.csrfField(user)
        let rows = list.map { x -> [Markup] in
            ["<a href=\"/console/disclosure/ledger?community=\(x.communityCode)&amp;quarter=\(x.quarter)\">\(x.communityCode)</a>", Markup.text(x.onDate),
             Markup.text(x.voucherNo), Markup.text(x.direction.label), Markup.text(x.subject), Markup.text(DisclosureRules.yuan(x.signedFen)),
             "<form method=\"post\" action=\"/console/disclosure/ledger/\(x.id)/approve\" class=\"inline\">\(csrf)<input type=\"hidden\" name=\"back\" value=\"pending\"><button type=\"submit\">审核通过</button></form>"]
        }
        let body: Markup = """
            <h1>待审核账目</h1>
            <p class="muted">辖区各村/社区记入、等待街道审核的账目（最多显示200笔，按村/社区和日期排列）。</p>
            \(Console.table(["村/社区", "日期", "凭证号", "收支", "科目", "金额（元）", ""], rows, empty: "没有待审核的账目"))
            """
        return Console.page(req, user, title: "待审核账目", crumbs: DisclosurePages.crumbs + [Crumb("待审核账目")], body: body)
    }
}
