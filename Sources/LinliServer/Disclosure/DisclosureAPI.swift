import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/disclosure`: 四个公开与财务公开 — the communities' notices of the four kinds (published, withdrawn
/// with their history kept), the finance ledger (entries, the street's approval, reversing entries, .xlsx) and
/// the quarterly statements published as 财务 notices. The current notices of a community are open.
struct DisclosureAPI {
    func boot(_ routes: Routes) {
        let d = routes.grouped("disclosure")
        d.get("notices", needs: .permission(.disclosureRead), use: notices)
        d.post("notices", needs: .permission(.disclosureWrite), use: publish)
        d.get("notices", ":id", needs: .permission(.disclosureRead), use: notice)
        d.post("notices", ":id", "withdraw", needs: .permission(.disclosureWrite), use: withdraw)
        d.on(.POST, "notices", ":id", "attachments", needs: .permission(.disclosureWrite), body: .collect(maxSize: "110mb"), use: attach)
        d.get("ledger", needs: .permission(.disclosureRead), use: ledger)
        d.post("ledger", needs: .permission(.disclosureWrite), use: addEntry)
        d.get("ledger.xlsx", needs: .permission(.disclosureRead), use: export)
        d.patch("ledger", ":id", needs: .permission(.disclosureWrite), use: editEntry)
        d.post("ledger", ":id", "approve", needs: .permission(.disclosureApprove), use: approve)
        d.post("ledger", ":id", "reverse", needs: .permission(.disclosureWrite), use: reverse)
        d.get("statements", needs: .permission(.disclosureRead), use: statements)
        d.post("statements", needs: .permission(.disclosureApprove), use: publishStatement)
        d.get("public", needs: .open, use: publicNotices)
    }

    func community(_ req: Request) async throws -> DivisionRecord {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        return try await req.disclosure.community(raw, in: req.registryScope)
    }

    func notices(req: Request) async throws -> JSONBody<PageDTO<DisclosureNoticeDTO>> {
        let c = try await community(req)
        let page = try await req.disclosure.notices(of: c.code, kind: try req.queryEnum("kind", NoticeKind.self), current: try req.queryBool("current") ?? false,
                                                    page: try req.pageRequest())
        return JSONBody(PageDTO(page) { DisclosureNoticeDTO($0) })
    }

    func publish(req: Request) async throws -> JSONBody<DisclosureNoticeDTO> {
        let b = try req.decodeJSON(DisclosureService.NoticeBody.self)
        let n = try await req.disclosure.publish(community: b.communityCode, try DisclosureService.notice(b), by: req.disclosureActor)
        return JSONBody(DisclosureNoticeDTO(n), status: .created)
    }

    func notice(req: Request) async throws -> JSONBody<DisclosureNoticeFileDTO> {
        let q = req.disclosure
        let n = try await q.requireNotice(try req.pathUUID(), in: req.registryScope)
        return JSONBody(DisclosureNoticeFileDTO(notice: DisclosureNoticeDTO(n), history: try await q.history(of: n.id).map(DisclosureNoticeHistoryDTO.init)))
    }

    func withdraw(req: Request) async throws -> JSONBody<DisclosureNoticeDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(DisclosureService.WithdrawBody.self)
        return JSONBody(DisclosureNoticeDTO(try await req.disclosure.withdraw(id, reason: b.reason, version: try requireVersion(b.version), by: req.disclosureActor)))
    }

    struct AttachmentForm: Decodable { var attachments: [File]? }

    func attach(req: Request) async throws -> JSONBody<[DisclosureAttachmentDTO]> {
        let id = try req.pathUUID()
        guard req.headers.contentType?.type == "multipart" else {
            throw ProblemError.badRequest("attachments", "附件应以 multipart/form-data 上传，字段名 attachments[]")
        }
        let files = ((try? req.content.decode(AttachmentForm.self))?.attachments ?? [])
            .map { AttachmentUpload(filename: $0.filename, data: Array($0.data.readableBytesView)) }
        let written = try await req.disclosure.attach(files, to: id, by: req.disclosureActor)
        return JSONBody(written.map(DisclosureAttachmentDTO.init), status: .created)
    }

    func quarter(_ req: Request) throws -> Quarter {
        guard let raw = try req.queryString("quarter", maxLength: 7) else { return Quarter.of(req.application.linli.today()) }
        guard let q = Quarter(raw) else { throw ProblemError.badRequest("quarter", "季度应写作 YYYY-Qn，如 2026-Q3") }
        return q
    }

    func ledger(req: Request) async throws -> JSONBody<[FinanceEntryDTO]> {
        let c = try await community(req)
        return JSONBody(try await req.disclosure.entries(of: c.code, quarter: try quarter(req)).map(FinanceEntryDTO.init))
    }

    func addEntry(req: Request) async throws -> JSONBody<FinanceEntryDTO> {
        let b = try req.decodeJSON(DisclosureService.EntryBody.self)
        let x = try await req.disclosure.addEntry(community: b.communityCode, try DisclosureService.entry(b), by: req.disclosureActor)
        return JSONBody(FinanceEntryDTO(x), status: .created)
    }

    func editEntry(req: Request) async throws -> JSONBody<FinanceEntryDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(DisclosureService.EntryBody.self)
        let x = try await req.disclosure.editEntry(id, try DisclosureService.entry(b), version: try requireVersion(b.version), by: req.disclosureActor)
        return JSONBody(FinanceEntryDTO(x))
    }

    func approve(req: Request) async throws -> JSONBody<FinanceEntryDTO> {
        JSONBody(FinanceEntryDTO(try await req.disclosure.approve(try req.pathUUID(), by: req.disclosureActor)))
    }

    func reverse(req: Request) async throws -> JSONBody<FinanceEntryDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(DisclosureService.ReverseBody.self)
        let x = try await req.disclosure.reverse(id, on: try DisclosureService.date(b.onDate, field: "on_date"), voucherNo: b.voucherNo, by: req.disclosureActor)
        return JSONBody(FinanceEntryDTO(x), status: .created)
    }

    func export(req: Request) async throws -> Response {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        return try await DisclosureService.export(req, community: raw, quarter: try req.queryString("quarter", maxLength: 7))
    }

    func statements(req: Request) async throws -> JSONBody<[FinanceStatementDTO]> {
        let c = try await community(req)
        return JSONBody(try await req.disclosure.statements(of: c.code).map(FinanceStatementDTO.init))
    }

    func publishStatement(req: Request) async throws -> JSONBody<FinanceStatementDTO> {
        let b = try req.decodeJSON(DisclosureService.StatementBody.self)
        let s = try await req.disclosure.publishStatement(community: b.communityCode, quarter: b.quarter, by: req.disclosureActor)
        return JSONBody(FinanceStatementDTO(s), status: .created)
    }

    /// A community's notices up today, for the portal and the screens (no staff names).
    func publicNotices(req: Request) async throws -> JSONBody<PageDTO<DisclosureNoticeDTO>> {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        let c = try await req.disclosure.community(raw, in: .everything)
        let page = try await req.disclosure.notices(of: c.code, current: true, page: try req.pageRequest())
        return JSONBody(PageDTO(page) { DisclosureNoticeDTO($0, staff: false) })
    }
}
