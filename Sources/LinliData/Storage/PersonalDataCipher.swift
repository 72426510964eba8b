@preconcurrency import Crypto
import Foundation

/// Encrypts ID and phone numbers at rest (AES-256-GCM) and computes their blind index (HMAC-SHA256),
/// so that an exact lookup never needs the clear value in the database.
///
/// Both keys are derived with HKDF from one 32-byte master key: `LINLI_DATA_KEY` (base64) or the key
/// file `data.key` that the first start creates in the data folder with mode 0600.
public struct PersonalDataCipher: Sendable {
    private let encryptionKey: SymmetricKey
    private let indexKey: SymmetricKey

    public enum KeyError: Error, CustomStringConvertible {
        case badEnvironmentKey, badKeyFile(String), cannotCreate(String)
        public var description: String {
            switch self {
            case .badEnvironmentKey: return "LINLI_DATA_KEY 应为32字节密钥的Base64编码（例如 openssl rand -base64 32 的输出）"
            case .badKeyFile(let p): return "密钥文件 \(p) 内容无效：应为32字节密钥的Base64编码"
            case .cannotCreate(let p): return "无法创建密钥文件 \(p)"
            }
        }
    }

    public init(masterKey: SymmetricKey) {
        encryptionKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("linli personal data encryption v1".utf8), outputByteCount: 32)
        indexKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("linli personal data blind index v1".utf8), outputByteCount: 32)
    }

    /// The key from `LINLI_DATA_KEY`, else from `<dataDirectory>/data.key`, created if absent.
    public static func load(environmentKey: String?, dataDirectory: String) throws -> PersonalDataCipher {
        if let env = environmentKey, !env.isEmpty {
            guard let raw = Data(base64Encoded: env), raw.count == 32 else { throw KeyError.badEnvironmentKey }
            return PersonalDataCipher(masterKey: SymmetricKey(data: raw))
        }
        let path = (dataDirectory as NSString).appendingPathComponent("data.key")
        let fm = FileManager.default
        if let text = fm.contents(atPath: path) {
            let trimmed = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: trimmed), raw.count == 32 else { throw KeyError.badKeyFile(path) }
            return PersonalDataCipher(masterKey: SymmetricKey(data: raw))
        }
        try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // Created with 0600 from the start, never world-readable even for an instant.
        guard fm.createFile(atPath: path, contents: Data(encoded.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KeyError.cannotCreate(path)
        }
        return PersonalDataCipher(masterKey: key)
    }

    public func seal(_ clear: String) throws -> Data {
        try AES.GCM.seal(Data(clear.utf8), using: encryptionKey).combined!
    }

    /// The same with a nonce the caller draws (bulk loads draw them from a `RandomPool`): 12 random
    /// bytes, never used twice with this key.
    func seal(_ clear: String, nonce: [UInt8]) throws -> Data {
        try AES.GCM.seal(Data(clear.utf8), using: encryptionKey, nonce: AES.GCM.Nonce(data: nonce)).combined!
    }

    public func open(_ sealed: Data) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: encryptionKey), as: UTF8.self)
    }

    /// A keyed hash of the normalized value: equal values give equal indexes, and without the key the
    /// index reveals nothing (an unkeyed hash of an ID number is easy to reverse by enumeration).
    public func blindIndex(_ clear: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(clear.utf8), using: indexKey)
        return Hex.encode(mac.prefix(16))
    }
}
