import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社会救助's queries for this request: today's date, the cipher of personal data and the attachment folder.
    var assistance: AssistanceQueries {
        let linli = application.linli
        return AssistanceQueries(db, cipher: linli.cipher, today: linli.today(), attachments: linli.assistanceAttachments, now: linli.now)
    }

    /// The caller as the assistance writes see them: their scope and what their role lets them do.
    var assistanceActor: AssistanceActor {
        let permissions = principal?.role.permissions ?? []
        return AssistanceActor(audit: auditActor, scope: registryScope, mayWrite: permissions.contains(.assistanceWrite),
                               mayReview: permissions.contains(.assistanceReview), mayApprove: permissions.contains(.assistanceApprove))
    }
}

extension AppConfig {
    /// Scans attached to applications: a folder beside the request photos.
    var assistanceAttachments: AssistanceAttachmentStore {
        let photos = photoDirectory ?? (dataDirectory as NSString).appendingPathComponent("photos")
        return AssistanceAttachmentStore(directory: ((photos as NSString).deletingLastPathComponent as NSString).appendingPathComponent("assistance"))
    }
}
