@preconcurrency import Crypto
import Foundation
import LinliCore

/// Scans attached to an application (ID cards, income certificates, medical bills): images or PDF, checked by
/// their bytes, kept as files in the data folder under names the platform chooses, like request photos.
public struct AssistanceAttachmentStore: Sendable {
    public let directory: String
    public static let maxBytes = 10 * 1024 * 1024
    public static let maxPerUpload = 10

    public init(directory: String) { self.directory = directory }

    /// JPEG, PNG, WebP or PDF by the bytes themselves, whatever the file is called.
    public static func contentType(of data: [UInt8]) -> String? {
        if let image = RequestPhotoStore.imageType(of: data) { return image }
        if data.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }

    /// Every problem with the uploads, field `attachments`.
    public static func check(_ files: [AttachmentUpload]) -> [FieldError] {
        var errors: [FieldError] = []
        if files.count > maxPerUpload { errors.append(FieldError("attachments", "每次最多上传\(maxPerUpload)个附件")) }
        for f in files {
            let name = f.filename.isEmpty ? "附件" : "“\(String(f.filename.prefix(40)))”"
            if f.data.count > maxBytes {
                errors.append(FieldError("attachments", "\(name)超过10MB"))
            } else if f.data.isEmpty {
                errors.append(FieldError("attachments", "\(name)是空文件"))
            } else if contentType(of: f.data) == nil {
                errors.append(FieldError("attachments", "\(name)不是图片或PDF（只接受 JPEG、PNG、WebP、PDF）"))
            }
        }
        return errors
    }

    func path(of id: UUID) -> String { (directory as NSString).appendingPathComponent(id.uuidString.lowercased()) }

    /// Writes the files before the database transaction; `remove` undoes it if the transaction fails.
    func write(_ files: [AttachmentUpload], caseID: UUID) throws -> [AssistanceAttachmentRecord] {
        guard !files.isEmpty else { return [] }
        try PrivateFiles.directory(directory)
        var written: [AssistanceAttachmentRecord] = []
        do {
            for f in files {
                let id = UUID()
                let data = Data(f.data)
                guard PrivateFiles.create(path(of: id), contents: data) else { throw CocoaError(.fileWriteUnknown) }
                let label = f.filename.isEmpty ? "附件" : String(f.filename.prefix(80))
                written.append(AssistanceAttachmentRecord(id: id, caseId: caseID, label: label, contentType: AssistanceAttachmentStore.contentType(of: f.data)!,
                                                          size: f.data.count, sha256: Hex.encode(SHA256.hash(data: data))))
            }
        } catch {
            remove(written)
            throw error
        }
        return written
    }

    func remove(_ files: [AssistanceAttachmentRecord]) {
        for f in files { try? FileManager.default.removeItem(atPath: path(of: f.id)) }
    }

    public func read(_ a: AssistanceAttachmentRecord) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(of: a.id)))
    }
}
