import Foundation
import LinliCore
import LinliData
import Vapor

/// An upload being checked or written. Checking and writing run in the background, so a large file
/// does not hold the request; the page and the API read the job's progress.
final class ImportJob: @unchecked Sendable {
    enum State {
        case checking(done: Int64, total: Int64)
        case checked(ResidentImportPlan)
        case writing(done: Int, total: Int, plan: ResidentImportPlan)
        case done(ResidentImportResult, plan: ResidentImportPlan)
        case failed(String)
    }

    let id = UUID()
    let owner: UUID
    let fileName: String
    let path: String
    let created = Date()
    private let lock = NSLock()
    private var _state: State = .checking(done: 0, total: 0)

    init(owner: UUID, fileName: String, path: String) {
        self.owner = owner
        self.fileName = fileName
        self.path = path
    }

    var state: State {
        lock.lock(); defer { lock.unlock() }
        return _state
    }

    func set(_ s: State) {
        lock.lock(); defer { lock.unlock() }
        _state = s
    }

    /// Moves from checked to writing exactly once, even if "confirm" is pressed twice.
    func beginWriting() -> ResidentImportPlan? {
        lock.lock(); defer { lock.unlock() }
        guard case .checked(let plan) = _state else { return nil }
        _state = .writing(done: 0, total: plan.newResidents, plan: plan)
        return plan
    }

    var plan: ResidentImportPlan? {
        switch state {
        case .checked(let p), .writing(_, _, let p), .done(_, let p): return p
        default: return nil
        }
    }

    var isRunning: Bool {
        switch state {
        case .checking, .writing: return true
        default: return false
        }
    }
}

/// The uploads of the last hour, by id. Only the account that uploaded a file sees its job.
final class ImportJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [UUID: ImportJob] = [:]
    static let lifetime: TimeInterval = 3600
    static let maxRunningPerAccount = 2

    func add(_ job: ImportJob) throws {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        for (id, j) in jobs where now.timeIntervalSince(j.created) > ImportJobs.lifetime && !j.isRunning {
            try? FileManager.default.removeItem(atPath: j.path)
            jobs[id] = nil
        }
        if jobs.values.filter({ $0.owner == job.owner && $0.isRunning }).count >= ImportJobs.maxRunningPerAccount {
            throw ProblemError(status: .tooManyRequests, detail: "您已有导入正在进行，请等它完成后再上传")
        }
        jobs[job.id] = job
    }

    func get(_ id: UUID, owner: UUID) -> ImportJob? {
        lock.lock(); defer { lock.unlock() }
        guard let j = jobs[id], j.owner == owner else { return nil }
        return j
    }
}

extension Application {
    struct ImportJobsKey: StorageKey { typealias Value = ImportJobs }
    var importJobs: ImportJobs {
        if let j = storage[ImportJobsKey.self] { return j }
        let j = ImportJobs()
        storage[ImportJobsKey.self] = j
        return j
    }
}

/// Upload, check, confirm: shared by the JSON API and the web page.
enum ImportService {
    static let maxUpload = 64 << 20

    struct Upload: Content {
        var file: File?
        var csrf: String?
        /// The worksheet to import (by name); `per_grid` true: every sheet with a header, one per grid.
        var sheet: String?
        var per_grid: String?

        var choice: SheetChoice {
            SheetChoice(sheet: sheet, perGrid: ["1", "true", "on", "yes"].contains((per_grid ?? "").lowercased()))
        }
    }

    /// Saves the uploaded file and starts checking it in the background.
    static func start(_ req: Request) async throws -> ImportJob {
        let p = try req.require(.registryWrite)
        guard req.headers.contentType?.type == "multipart" else {
            throw ProblemError(status: .unsupportedMediaType, detail: "请以 multipart/form-data 上传文件（字段名 file）",
                               errors: [FieldError("file", "请选择要导入的文件")])
        }
        let upload: Upload
        do { upload = try req.content.decode(Upload.self) } catch let refused as ProblemError {
            throw refused
        } catch {
            throw ProblemError.badRequest("file", "上传内容无法读取：请以 multipart/form-data 上传文件（字段名 file）")
        }
        guard let file = upload.file, file.data.readableBytes > 0 else { throw ProblemError.badRequest("file", "请选择要导入的文件（不能为空）") }
        let name = sanitize(file.filename)
        let format: SheetFormat
        do { format = try SheetFormat(path: name) } catch { throw ProblemError.badRequest("file", error.message) }
        guard format != .geojson else { throw ProblemError.badRequest("file", "居民数据请用 .xlsx 或 .csv 文件") }
        let path = NSTemporaryDirectory() + "linli-import-\(UUID().uuidString).\(format.rawValue)"
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: file.data), attributes: [.posixPermissions: 0o600]) else {
            throw ProblemError(status: .internalServerError, detail: "无法保存上传的文件")
        }
        // Refuse what is not a spreadsheet at once, before a job exists; so too a workbook whose sheet
        // cannot be chosen (several with a header and none named, a name it does not have, no header).
        let choice = upload.choice
        do {
            _ = try SheetFile.check(path)
            _ = try await Task.detached { try ResidentImport.chooseSheets(path, choice: choice) }.value
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            let message = (error as? SheetError)?.message ?? "文件无法读取"
            switch error as? SheetError {
            case .severalSheets(let names)?:
                throw SheetChoiceNeeded(names: names, problem: ProblemError(status: .unprocessableEntity, detail: message, errors: [FieldError("sheet", message)]))
            case .noSuchSheet(_, let names)?:
                throw SheetChoiceNeeded(names: names, problem: ProblemError(status: .unprocessableEntity, detail: message, errors: [FieldError("sheet", message)]))
            default:
                throw ProblemError(status: .unprocessableEntity, detail: message, errors: [FieldError("file", message)])
            }
        }
        let job = ImportJob(owner: p.account.id, fileName: name, path: path)
        try req.application.importJobs.add(job)
        let engine = ResidentImport(req.application.db, cipher: req.application.linli.cipher, today: req.application.linli.today(), scope: req.registryScope)
        Task.detached {
            do {
                let plan = try await engine.validate(file: path, name: name, choice: choice) { done, total in job.set(.checking(done: done, total: total)) }
                job.set(.checked(plan))
            } catch let e as SheetError {
                job.set(.failed(e.message + "。未写入任何数据。"))
            } catch {
                job.set(.failed("检查失败，未写入任何数据"))
            }
        }
        return job
    }

    /// Writes the checked good rows in the background.
    static func confirm(_ req: Request, job: ImportJob) throws {
        guard let plan = job.beginWriting() else {
            throw ProblemError(status: .conflict, detail: "该导入不在“已检查、待确认”状态")
        }
        let engine = ResidentImport(req.application.db, cipher: req.application.linli.cipher, today: req.application.linli.today(), scope: req.registryScope)
        let actor = req.auditActor
        let cache = req.application.linli.residentCache
        Task.detached {
            do {
                let result = try await engine.commit(plan, by: actor) { done, total in job.set(.writing(done: done, total: total, plan: plan)) }
                job.set(.done(result, plan: plan))
                cache?.removeAll()
            } catch RegistryError.conflict(let e) {
                job.set(.failed(e.message + "。未写入任何数据。"))
            } catch {
                job.set(.failed("写入失败，已整体撤销，未写入任何数据"))
            }
            try? FileManager.default.removeItem(atPath: job.path)
        }
    }

    static func job(_ req: Request) throws -> ImportJob {
        let p = try req.require(.registryWrite)
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw), let job = req.application.importJobs.get(id, owner: p.account.id) else {
            throw ProblemError(status: .notFound, detail: "没有这个导入任务（任务保留一小时，且只有上传者可见）")
        }
        return job
    }

    /// The report of a checked file as an .xlsx download.
    static func report(_ job: ImportJob) throws -> Response {
        guard let plan = job.plan else { throw ProblemError(status: .conflict, detail: "文件尚未检查完毕") }
        let path = NSTemporaryDirectory() + "linli-report-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RegistryExport.writeReport(plan, to: path)
        return xlsxDownload(path: path, name: (job.fileName as NSString).deletingPathExtension + "-检查报告.xlsx")
    }

    static func template() throws -> Response {
        let path = NSTemporaryDirectory() + "linli-template-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RegistryExport.writeTemplate(to: path)
        return xlsxDownload(path: path, name: "居民信息导入模板.xlsx")
    }

    static func xlsxDownload(path: String, name: String) -> Response {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "report.xlsx"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"report.xlsx\"; filename*=UTF-8''\(encoded)")
        return response
    }

    /// A file name without folders or control characters, for display and the audit log.
    static func sanitize(_ name: String) -> String {
        let base = (name as NSString).lastPathComponent
        let clean = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0 != "/" && $0 != "\\" }.prefix(120).map(Character.init))
        return clean.isEmpty ? "upload.csv" : clean
    }
}

/// A workbook whose sheet must be chosen: the API answers with `problem` (422), the page with a choice.
struct SheetChoiceNeeded: Error {
    var names: [String]
    var problem: ProblemError
}

/// What the API says of a job.
struct ImportJobDTO: Content {
    var id: UUID
    var file: String
    var status: String
    var done: Int64?
    var total: Int64?
    var rows: Int?
    var badRows: Int?
    var newResidents: Int?
    var newHouseholds: Int?
    var unchanged: Int?
    var imported: Int?
    var problems: [RowProblem]?
    var message: String?
    /// Every sheet of the file; the ones read with the row their header was found in.
    var sheets: [SheetDTO]?
    var skippedRows: Int?
    var notes: [String]?

    struct SheetDTO: Content {
        var name: String
        var hidden: Bool
        var lastRow: Int?
        var headerRow: Int?
        var rows: Int?
        var hiddenRows: Int?
        enum CodingKeys: String, CodingKey {
            case name, hidden, rows
            case lastRow = "last_row", headerRow = "header_row", hiddenRows = "hidden_rows"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, file, status, done, total, rows, problems, message, unchanged, imported, sheets, notes
        case badRows = "bad_rows", newResidents = "new_residents", newHouseholds = "new_households", skippedRows = "skipped_rows"
    }

    init(_ job: ImportJob) {
        id = job.id
        file = job.fileName
        func fill(_ p: ResidentImportPlan) {
            rows = p.rows; badRows = p.badRows; newResidents = p.newResidents; newHouseholds = p.newHouseholds; unchanged = p.unchanged
            problems = Array(p.problems.prefix(100))
            sheets = p.sheets.map { info in
                let taken = p.taken.first { $0.name == info.name }
                return SheetDTO(name: info.name, hidden: info.hidden, lastRow: info.lastRow, headerRow: taken?.headerRow,
                                rows: taken?.rows, hiddenRows: taken?.hiddenRows)
            }
            skippedRows = p.taken.reduce(0) { $0 + $1.hiddenRows }
            notes = p.notes
        }
        switch job.state {
        case .checking(let d, let t): status = "checking"; done = d; total = t
        case .checked(let p): status = "checked"; fill(p)
        case .writing(let d, let t, let p): status = "writing"; done = Int64(d); total = Int64(t); fill(p)
        case .done(let r, let p): status = "done"; fill(p); imported = r.residents; unchanged = r.unchanged
        case .failed(let m): status = "failed"; message = m
        }
    }
}
