import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's import of dwellings and units: a template per kind, an upload checked whole (every bad row and
/// field on the page and in an .xlsx report), then a confirmation that writes the file all or nothing. A file
/// imported twice changes nothing the second time. Uploads are kept an hour, seen only by the account that sent them.
struct HousingImportPages {
    static let maxUpload = 8 << 20
    static let crumbs = [Crumb("工作台", "/console"), Crumb("房屋", "/console/housing"), Crumb("导入房屋、单位")]

    func boot(_ routes: Routes) {
        let i = routes.grouped("console", "housing", "import")
        i.get(needs: .permission(.housingWrite), use: form)
        i.on(.POST, needs: .permission(.housingWrite), body: .collect(maxSize: ByteCount(value: Self.maxUpload)), use: upload)
        i.get("template", needs: .permission(.housingWrite), use: template)
        i.get(":id", "report", needs: .permission(.housingWrite), use: report)
        i.post(":id", "confirm", needs: .permission(.housingWrite), use: confirm)
    }

    func form(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        return page(req, user, body: "")
    }

    func page(_ req: Request, _ user: WebUser, body: Markup, status: HTTPResponseStatus = .ok) -> Response {
        let columns = HousingImport.Kind.allCases.map { k -> Markup in "<li>\(k.label)：\(k.columns.joined(separator: "、"))（<a href=\"/console/housing/import/template?kind=\(k.rawValue)\">下载模板</a>）</li>" }
        return Console.page(req, user, title: "导入房屋、单位", crumbs: Self.crumbs, body: """
            <h1>导入房屋、单位</h1>
            \(body)
            <p>上传 Excel 工作簿（.xlsx）或 CSV。系统逐行检查，列出所有问题；没有问题时确认后整个文件一次写入，有问题则一行也不写入。同一文件再次导入不会重复登记（房屋按楼栋和房号，单位按统一社会信用代码）。</p>
            <ul>\(columns)</ul>
            <form method="post" action="/console/housing/import" enctype="multipart/form-data">\(Console.csrfField(user))
            \(Console.select("导入", name: "kind", options: HousingImport.Kind.allCases.map { ($0.rawValue, $0.label) }, required: true))
            <div class="field"><label for="f-file">文件</label><input id="f-file" type="file" name="file" accept=".xlsx,.csv" required></div>
            <button type="submit">上传并检查</button></form>
            """, status: status, wide: false)
    }

    struct Upload: Content { var csrf: String?; var kind: String?; var file: File? }

    func upload(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        guard req.headers.contentType?.type == "multipart" else { throw ProblemError.badRequest("file", "请以 multipart/form-data 上传文件（字段名 file）") }
        let form = (try? req.content.decode(Upload.self)) ?? Upload()
        try req.checkCSRF(user, form.csrf)
        guard let kind = form.kind.flatMap(HousingImport.Kind.init(rawValue:)) else { throw ProblemError.badRequest("kind", "请选择导入房屋还是单位") }
        guard let file = form.file, file.data.readableBytes > 0 else {
            return page(req, user, body: "<p class=\"error\" role=\"alert\">请选择要导入的文件。</p>", status: .badRequest)
        }
        let name = ImportService.sanitize(file.filename)
        let format: SheetFormat
        do { format = try SheetFormat(path: name) } catch { return page(req, user, body: "<p class=\"error\" role=\"alert\">\(error.message)</p>", status: .unprocessableEntity) }
        guard format != .geojson else { return page(req, user, body: "<p class=\"error\" role=\"alert\">请用 .xlsx 或 .csv 文件</p>", status: .unprocessableEntity) }
        let path = NSTemporaryDirectory() + "linli-housing-import-\(UUID().uuidString).\(format.rawValue)"
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: file.data), attributes: [.posixPermissions: 0o600]) else {
            throw ProblemError(status: .internalServerError, detail: "无法保存上传的文件")
        }
        let engine = HousingImport(req.db, cipher: req.application.linli.cipher, scope: req.registryScope)
        let plan: HousingImport.Plan
        do { plan = try await engine.validate(file: path, name: name, kind: kind) } catch let e as SheetError {
            try? FileManager.default.removeItem(atPath: path)
            return page(req, user, body: "<p class=\"error\" role=\"alert\">\(e.message)。未写入任何数据。</p>", status: .unprocessableEntity)
        }
        let upload = req.application.housingImports.add(owner: user.account.id, kind: kind, name: name, path: path, problems: plan.problems)
        let summary: Markup = "<p>\(name)：数据 \(plan.rows) 行，新\(kind.label) \(plan.new) 个，已登记未变 \(plan.unchanged) 个。</p>"
        guard plan.isClean else {
            let rows = plan.problems.prefix(200).map { p -> [Markup] in [Markup.text(String(p.row)), Markup.text(p.column), Markup.text(p.message)] }
            return page(req, user, body: """
                \(summary)
                <div class="error" role="alert"><p>发现 \(plan.problems.count) 个问题，整个文件不会写入。请改正后重新上传。</p></div>
                <p><a href="/console/housing/import/\(upload)/report">下载问题报告（.xlsx）</a></p>
                \(Console.table(["行号", "列", "问题"], Array(rows)))
                """, status: .unprocessableEntity)
        }
        let confirm: Markup = plan.new > 0 ? """
            <form method="post" action="/console/housing/import/\(upload)/confirm">\(Console.csrfField(user))<button type="submit">确认导入 \(plan.new) 个\(kind.label)</button></form>
            """ : "<p>没有需要写入的行，数据库不会改变。</p>"
        return page(req, user, body: "\(summary)<p>没有发现问题，尚未写入。</p>\(confirm)")
    }

    func template(req: Request) async throws -> Response {
        _ = try req.webUser(.housingWrite)
        let kind = try req.queryEnum("kind", HousingImport.Kind.self) ?? .dwellings
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try HousingImport.writeTemplate(kind, to: path)
        return ImportService.xlsxDownload(path: path, name: "\(kind.label)导入模板.xlsx")
    }

    func report(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        guard let u = req.application.housingImports.get(try req.pathUUID(), owner: user.account.id) else { throw RegistryError.notFound("导入记录") }
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try HousingImport.writeReport(u.problems, to: path)
        return ImportService.xlsxDownload(path: path, name: (u.name as NSString).deletingPathExtension + "-检查报告.xlsx")
    }

    /// Checks the kept file again (the registry may have changed) and writes it, all or nothing.
    func confirm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(Upload.self)) ?? Upload()
        try req.checkCSRF(user, form.csrf)
        guard let u = req.application.housingImports.take(try req.pathUUID(), owner: user.account.id) else { throw RegistryError.notFound("导入记录") }
        defer { try? FileManager.default.removeItem(atPath: u.path) }
        let engine = HousingImport(req.db, cipher: req.application.linli.cipher, scope: req.registryScope)
        let plan = try await engine.validate(file: u.path, name: u.name, kind: u.kind)
        do {
            let written = try await engine.commit(plan, by: req.auditActor)
            return page(req, user, body: "<p role=\"status\">已导入\(u.kind.label) \(written) 个；已登记未变 \(plan.unchanged) 个。</p>")
        } catch let rejected as HousingImport.Rejected {
            return page(req, user, body: "<div class=\"error\" role=\"alert\"><p>检查后数据有变化，发现 \(rejected.problems.count) 个问题，未写入。请重新上传。</p></div>",
                        status: .conflict)
        }
    }
}

/// Uploaded housing files awaiting confirmation, for an hour, each seen only by its owner.
final class HousingImports: @unchecked Sendable {
    struct Upload { var owner: UUID; var kind: HousingImport.Kind; var name: String; var path: String; var problems: [RowProblem]; var created: Date }
    private let lock = NSLock()
    private var uploads: [UUID: Upload] = [:]

    func add(owner: UUID, kind: HousingImport.Kind, name: String, path: String, problems: [RowProblem]) -> UUID {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        for (id, u) in uploads where now.timeIntervalSince(u.created) > 3600 {
            try? FileManager.default.removeItem(atPath: u.path)
            uploads[id] = nil
        }
        let id = UUID()
        uploads[id] = Upload(owner: owner, kind: kind, name: name, path: path, problems: problems, created: now)
        return id
    }

    func get(_ id: UUID, owner: UUID) -> Upload? {
        lock.lock(); defer { lock.unlock() }
        return uploads[id].flatMap { $0.owner == owner ? $0 : nil }
    }

    /// The upload, removed: a confirmation runs once.
    func take(_ id: UUID, owner: UUID) -> Upload? {
        lock.lock(); defer { lock.unlock() }
        guard let u = uploads[id], u.owner == owner else { return nil }
        uploads[id] = nil
        return u
    }
}

extension Application {
    struct HousingImportsKey: StorageKey { typealias Value = HousingImports }
    var housingImports: HousingImports {
        if let j = storage[HousingImportsKey.self] { return j }
        let j = HousingImports()
        storage[HousingImportsKey.self] = j
        return j
    }
}
