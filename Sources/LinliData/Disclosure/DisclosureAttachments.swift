import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Files attached to a notice (a plan, a list, a scan of a signed document): JPEG, PNG, WebP or PDF checked by
/// their bytes, at most 10 MB each and 10 at a time — the assistance capability's store, in a folder of its own.
/// They are as public as the notice.
extension DisclosureQueries {
    public func attachments(of noticeID: UUID) async throws -> [AssistanceAttachmentRecord] {
        try await sql.select().column("id").column("notice_id", as: "case_id").columns("label", "content_type", "size", "sha256").from("disclosure_attachments")
            .where("notice_id", .equal, SQLBind(noticeID)).orderBy("created_at").all().map { try $0.decodeRecord(AssistanceAttachmentRecord.self) }
    }

    public func attach(_ files: [AttachmentUpload], to noticeID: UUID, by actor: DisclosureActor) async throws -> [AssistanceAttachmentRecord] {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有发布公告的权限") }
        let n = try await requireNotice(noticeID, in: actor.scope)
        guard let store = attachmentStore else { throw RegistryError.invalid([FieldError("attachments", "本系统未配置附件存储")]) }
        if files.isEmpty { throw RegistryError.invalid([FieldError("attachments", "请选择要上传的附件")]) }
        let errors = AssistanceAttachmentStore.check(files)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        guard n.status == .published else { throw RegistryError.conflict(FieldError("status", "已撤回的公告不能再添加附件")) }
        let written = try store.write(files, caseID: n.id)
        let at = nowSeconds
        do {
            try await db.writeTransaction { db in
                let sql = SQLHelpers.sql(db)
                for f in written {
                    try await sql.insert(into: "disclosure_attachments").columns("id", "notice_id", "label", "content_type", "size", "sha256", "uploaded_by", "created_at")
                        .values(SQLBind(f.id), SQLBind(n.id), SQLBind(f.label), SQLBind(f.contentType), SQLBind(f.size), SQLBind(f.sha256),
                                SQLBind(actor.audit.username), SQLBind(at)).run()
                }
                try await AuditLog.append([AuditEvent(DisclosureAudit.attach, target: .disclosureNotice(n.id), detail: ["files": String(written.count)])],
                                          by: actor.audit, on: db)
            }
        } catch {
            store.remove(written)
            throw error
        }
        return written
    }
}
