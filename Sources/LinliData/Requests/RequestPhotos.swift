@preconcurrency import Crypto
import Foundation
import LinliCore

/// Photos of a step, kept as files in the data folder under names the platform chooses (never the uploader's).
public struct RequestPhotoStore: Sendable {
    public let directory: String
    public static let maxBytes = 5 * 1024 * 1024
    public static let maxPerStep = 6

    public init(directory: String) { self.directory = directory }

    /// The image type of the bytes themselves (JPEG, PNG or WebP), whatever the file is called.
    public static func imageType(of data: [UInt8]) -> String? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if data.count > 12, data[0..<4].elementsEqual("RIFF".utf8), data[8..<12].elementsEqual("WEBP".utf8) { return "image/webp" }
        return nil
    }

    /// Every problem with the uploads, field `photos`.
    public static func check(_ photos: [PhotoUpload]) -> [FieldError] {
        var errors: [FieldError] = []
        if photos.count > maxPerStep { errors.append(FieldError("photos", "每次最多上传\(maxPerStep)张照片")) }
        for p in photos {
            let name = p.filename.isEmpty ? "照片" : "“\(String(p.filename.prefix(40)))”"
            if p.data.count > maxBytes {
                errors.append(FieldError("photos", "\(name)超过5MB"))
            } else if p.data.isEmpty {
                errors.append(FieldError("photos", "\(name)是空文件"))
            } else if imageType(of: p.data) == nil {
                errors.append(FieldError("photos", "\(name)不是图片（只接受 JPEG、PNG、WebP）"))
            }
        }
        return errors
    }

    func path(of id: UUID) -> String { (directory as NSString).appendingPathComponent(id.uuidString.lowercased()) }

    /// Writes the files before the database transaction; `remove` undoes it if the transaction fails.
    func write(_ photos: [PhotoUpload], request: UUID, step: UUID) throws -> [RequestPhotoRecord] {
        guard !photos.isEmpty else { return [] }
        try PrivateFiles.directory(directory)
        var written: [RequestPhotoRecord] = []
        do {
            for p in photos {
                let id = UUID()
                let data = Data(p.data)
                guard PrivateFiles.create(path(of: id), contents: data) else { throw CocoaError(.fileWriteUnknown) }
                written.append(RequestPhotoRecord(id: id, requestId: request, stepId: step, contentType: RequestPhotoStore.imageType(of: p.data)!,
                                                  size: p.data.count, sha256: Hex.encode(SHA256.hash(data: data))))
            }
        } catch {
            remove(written)
            throw error
        }
        return written
    }

    func remove(_ photos: [RequestPhotoRecord]) {
        for p in photos { try? FileManager.default.removeItem(atPath: path(of: p.id)) }
    }

    public func read(_ photo: RequestPhotoRecord) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(of: photo.id)))
    }
}
