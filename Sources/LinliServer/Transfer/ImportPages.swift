import Foundation
import LinliCore
import LinliData
import Vapor

/// The web page for community workers: upload, see the check with every bad row, download the
/// report, confirm, watch the progress (the page refreshes itself while work runs; no script).
struct ImportPages {
    static let crumbs = [Crumb("工作台", "/console"), Crumb("导入居民信息")]

    func boot(_ routes: Routes) {
        let web = routes.grouped("console", "import")
        web.get(needs: .permission(.registryWrite), use: form)
        web.on(.POST, needs: .permission(.registryWrite), body: .collect(maxSize: ByteCount(value: ImportService.maxUpload)), use: upload)
        web.get("template", needs: .permission(.registryWrite), use: template)
        web.get(":id", needs: .permission(.registryWrite), use: status)
        web.get(":id", "report", needs: .permission(.registryWrite), use: report)
        web.post(":id", "confirm", needs: .permission(.registryWrite), use: confirm)
    }

    private func signedIn(_ req: Request) throws -> String? {
        guard req.principal != nil, let csrf = req.csrfToken else { return nil }
        try req.require(.registryWrite)
        return csrf
    }

    private func checkCSRF(_ req: Request, _ sent: String?) throws {
        guard let expected = req.csrfToken, WebSession.same(expected, sent ?? "") else {
            throw ProblemError(status: .forbidden, detail: "表单来源不明（CSRF 校验失败）")
        }
    }

    func form(req: Request) async throws -> Response {
        guard let csrf = try signedIn(req) else { return req.redirect(to: "/login") }
        let columns = ResidentColumn.allCases.map { (c: ResidentColumn) -> Markup in "<tr><td>\(c.rawValue)</td><td>\(c.note)</td></tr>" }
        return Console.page(req, try? req.webUser(), title: "导入居民", crumbs: ImportPages.crumbs, body: """
            
              <h1>导入居民信息</h1>
              <p>上传 Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GB18030）。系统先逐行检查，列出所有问题；确认后才写入合格的行。
                 同一文件再次导入不会重复登记（按公民身份号码）。只能导入您管辖范围内的网格和楼栋。</p>
              <p><a href="/console/import/template">下载导入模板（.xlsx）</a></p>
              \(ImportPages.uploadForm(csrf: csrf, sheets: nil))
              <h2>社区自己的花名册</h2>
              <p>不必先改成模板：表头可以在标题、说明行之下（前\(SheetHeader.searchRows)行内自动查找，常见列名如“身份证号”“手机号”也认）；
                 全角数字和多余空格会自动整理；隐藏的行不导入并在检查结果中列出；被 Excel 存成数字的身份证号
                 （后三位已丢失）会被指出，不会被改动后写入。工作簿有多个工作表时，请选择一个，或选择“每个网格一张表”。</p>
              <h2>列说明</h2>
              <table><tr><th>列名</th><th>要求</th></tr>\(columns)</table>
              <p><a href="/console">返回工作台</a></p>
            
            """)
    }

    /// The upload form; with the sheets of a workbook whose sheet must be chosen, a select of them.
    static func uploadForm(csrf: String, sheets: [String]?) -> Markup {
        let choice: Markup
        if let sheets {
            let options = sheets.map { (n: String) -> Markup in "<option value=\"\(n)\">\(n)</option>" }
            choice = """
                <label>工作表 <select name="sheet" required><option value="">请选择</option>\(options)</select></label>
                <label><input type="checkbox" name="per_grid" value="1"> 每个网格一张表（导入全部上列工作表）</label>
                """
        } else {
            choice = """
                <label>工作表（可空） <input type="text" name="sheet" maxlength="100"></label>
                <label><input type="checkbox" name="per_grid" value="1"> 每个网格一张表（各表按表名归入网格）</label>
                """
        }
        return """
            <form method="post" action="/console/import" enctype="multipart/form-data">
              <input type="hidden" name="csrf" value="\(csrf)">
              <label>文件 <input type="file" name="file" accept=".xlsx,.csv" required></label>
              \(choice)
              <button type="submit">上传并检查</button>
            </form>
            """
    }

    func upload(req: Request) async throws -> Response {
        guard let csrf = try signedIn(req) else { return req.redirect(to: "/login") }
        try checkCSRF(req, try? req.content.get(String.self, at: "csrf"))
        do {
            let job = try await ImportService.start(req)
            return req.redirect(to: "/console/import/\(job.id)")
        } catch let e as SheetChoiceNeeded {
            // The file must be chosen again: a browser does not keep a file field's value.
            return Console.page(req, try? req.webUser(), title: "导入居民", crumbs: ImportPages.crumbs, body: """
                <h1>请选择工作表</h1><p class="error" role="alert">\(e.problem.detail)</p>
                <p>未写入任何数据。请再次选择该文件，并选择要导入的工作表：</p>
                \(ImportPages.uploadForm(csrf: csrf, sheets: e.names))
                """, status: e.problem.status)
        } catch let e as ProblemError where e.status != .forbidden {
            return Console.page(req, try? req.webUser(), title: "导入居民", crumbs: ImportPages.crumbs, body: """
                <h1>无法导入</h1><p class="error" role="alert">\(e.detail)</p>
                <p>未写入任何数据。<a href="/console/import">重新选择文件</a></p>
                """, status: e.status)
        }
    }

    func status(req: Request) async throws -> Response {
        guard let csrf = try signedIn(req) else { return req.redirect(to: "/login") }
        let job = try ImportService.job(req)
        let name = job.fileName
        func summary(_ p: ResidentImportPlan) -> Markup {
            """
            <table><tr><th>数据行</th><td>\(p.rows)</td></tr><tr><th>合格待写入</th><td>\(p.newResidents) 人（新户 \(p.newHouseholds) 户）</td></tr>
            <tr><th>已登记、不变</th><td>\(p.unchanged) 人</td></tr><tr><th>有问题的行</th><td>\(p.badRows)</td></tr></table>
            """
        }
        /// How the file was read: its sheets, the header row taken, hidden rows left out.
        func reading(_ p: ResidentImportPlan) -> Markup {
            let sheets = p.sheets.map { (info: SheetInfo) -> Markup in
                let taken = p.taken.first { $0.name == info.name }
                let state: String = taken != nil ? "已读取" : info.hidden ? "隐藏，未读取" : "未读取"
                let header: String = taken.map { "第\($0.headerRow)行" } ?? "—"
                let rows: String = taken.map { String($0.rows) } ?? "—"
                let hidden: String = taken.map { String($0.hiddenRows) } ?? "—"
                return "<tr><td>\(info.name)</td><td>\(state)</td><td>\(header)</td><td>\(rows)</td><td>\(hidden)</td></tr>"
            }
            let notes = p.notes.map { (n: String) -> Markup in "<li>\(n)</li>" }
            return """
                <h2>读取情况</h2>
                <div class="scroll"><table><tr><th>工作表</th><th>状态</th><th>表头</th><th>数据行</th><th>跳过的隐藏行</th></tr>\(sheets)</table></div>
                \(notes.isEmpty ? Markup.empty : "<ul>\(notes)</ul>")
                """
        }
        func problems(_ p: ResidentImportPlan) -> Markup {
            guard !p.problems.isEmpty else { return "<p>没有发现问题。</p>" }
            let rows = p.problems.prefix(200).map { (q: RowProblem) -> Markup in
                let at: String = (q.sheet.map { $0 + " " } ?? "") + String(q.row)
                return "<tr><td>\(at)</td><td>\(q.column)</td><td>\(q.message)</td></tr>"
            }
            let more: Markup = p.problems.count + p.problemsNotKept > 200 ? "<p>只显示前 200 个问题，完整列表见报告。</p>" : ""
            return """
                <p><a href="/console/import/\(job.id)/report">下载问题报告（.xlsx）</a></p>
                <div class="scroll"><table><tr><th>行号</th><th>列</th><th>问题</th></tr>\(rows)</table></div>\(more)
                """
        }
        func bar(_ done: Int64, _ total: Int64, _ label: String) -> Markup {
            let share = total > 0 ? Int(Double(done) * 100 / Double(total)) : 0
            return "<p>\(label)……\(share)%</p><progress max=\"100\" value=\"\(share)\">\(share)%</progress><p>页面每2秒自动刷新。</p>"
        }
        var head = Markup.empty
        let body: Markup
        switch job.state {
        case .checking(let d, let t):
            head = "<meta http-equiv=\"refresh\" content=\"2\">"
            body = bar(d, t, "正在检查 \(name)")
        case .checked(let p):
            let confirm: Markup = p.newResidents > 0 ? """
                <form method="post" action="/console/import/\(job.id)/confirm">
                  <input type="hidden" name="csrf" value="\(csrf)">
                  <button type="submit">确认导入合格的 \(p.newResidents) 人\(p.badRows > 0 ? "（有问题的 \(p.badRows) 行不导入）" : "")</button>
                </form>
                """ : "<p>没有可以写入的行，数据库不会改变。</p>"
            body = "<p>\(name) 已检查完毕，尚未写入。</p>\(summary(p))\(reading(p))\(confirm)\(problems(p))"
        case .writing(let d, let t, _):
            head = "<meta http-equiv=\"refresh\" content=\"2\">"
            body = bar(Int64(d), Int64(t), "正在写入")
        case .done(let r, let p):
            body = "<p>已导入 \(r.residents) 人，新建 \(r.households) 户；已登记未变 \(r.unchanged) 人。</p>\(summary(p))\(reading(p))\(problems(p))"
        case .failed(let m):
            body = "<p class=\"error\" role=\"alert\">\(m)</p>"
        }
        return Console.page(req, try? req.webUser(), title: "导入居民", crumbs: ImportPages.crumbs, body: """
            <h1>导入居民：\(name)</h1>\(body)
            <p><a href="/console/import">导入其他文件</a> · <a href="/console">返回工作台</a></p>
            """, head: head)
    }

    func report(req: Request) async throws -> Response {
        guard try signedIn(req) != nil else { return req.redirect(to: "/login") }
        return try ImportService.report(try ImportService.job(req))
    }

    func template(req: Request) async throws -> Response {
        guard try signedIn(req) != nil else { return req.redirect(to: "/login") }
        return try ImportService.template()
    }

    func confirm(req: Request) async throws -> Response {
        guard try signedIn(req) != nil else { return req.redirect(to: "/login") }
        try checkCSRF(req, try? req.content.get(String.self, at: "csrf"))
        let job = try ImportService.job(req)
        try ImportService.confirm(req, job: job)
        return req.redirect(to: "/console/import/\(job.id)")
    }
}
