@preconcurrency import Crypto
import Foundation

/// Encrypts ID and phone numbers at rest (AES-256-GCM) and computes their blind index (HMAC-SHA256),
/// so that an exact lookup never needs the clear value in the database.
///
/// Both keys are derived with HKDF from one 32-byte master key: `LINLI_DATA_KEY` (base64) or the key
/// file `data.key` that the first start creates in the data folder with mode 0600. During a key rotation
/// (`linli keys rotate`, decision 0010) the previous master key is held too, for reading only.
public struct PersonalDataCipher: Sendable {
    /// The two keys derived from one master key, and its key check value.
    struct Keys: Sendable {
        let encryption: SymmetricKey
        let index: SymmetricKey
        let id: String

        init(master: SymmetricKey) {
            encryption = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("linli personal data encryption v1".utf8), outputByteCount: 32)
            index = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("linli personal data blind index v1".utf8), outputByteCount: 32)
            let check = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("linli key check value v1".utf8), outputByteCount: 32)
            id = Hex.encode(HMAC<SHA256>.authenticationCode(for: Data("linli".utf8), using: check).prefix(8))
        }
    }

    private let current: Keys
    /// During a key rotation, the key the data not yet rotated is still sealed with: read, never written.
    private let previous: Keys?

    public enum KeyError: Error, CustomStringConvertible {
        case badEnvironmentKey, badKeyFile(String), cannotCreate(String)
        case badPreviousEnvironmentKey, previousIsCurrent
        public var description: String {
            switch self {
            case .badEnvironmentKey: return "LINLI_DATA_KEY 应为32字节密钥的Base64编码（例如 openssl rand -base64 32 的输出）"
            case .badKeyFile(let p): return "密钥文件 \(p) 内容无效：应为32字节密钥的Base64编码"
            case .cannotCreate(let p): return "无法创建密钥文件 \(p)"
            case .badPreviousEnvironmentKey: return "LINLI_DATA_KEY_PREVIOUS 应为32字节密钥的Base64编码（轮换前的旧密钥）"
            case .previousIsCurrent: return "旧密钥（LINLI_DATA_KEY_PREVIOUS 或 data.key.previous）与当前密钥相同：轮换需要一个新密钥"
            }
        }
    }

    public init(masterKey: SymmetricKey, previousMasterKey: SymmetricKey? = nil) {
        current = Keys(master: masterKey)
        previous = previousMasterKey.map(Keys.init(master:))
    }

    /// The key from `LINLI_DATA_KEY`, else from `<dataDirectory>/data.key`, created if absent; during a
    /// rotation also the old key, from `LINLI_DATA_KEY_PREVIOUS` or `<dataDirectory>/data.key.previous`.
    public static func load(environmentKey: String?, previousEnvironmentKey: String? = nil, dataDirectory: String) throws -> PersonalDataCipher {
        let previous = try loadPrevious(environmentKey: previousEnvironmentKey, dataDirectory: dataDirectory)
        let master = try loadCurrent(environmentKey: environmentKey, dataDirectory: dataDirectory)
        let cipher = PersonalDataCipher(masterKey: master, previousMasterKey: previous)
        if let p = cipher.previous, p.id == cipher.current.id { throw KeyError.previousIsCurrent }
        return cipher
    }

    private static func loadCurrent(environmentKey: String?, dataDirectory: String) throws -> SymmetricKey {
        if let env = environmentKey, !env.isEmpty {
            guard let raw = Data(base64Encoded: env), raw.count == 32 else { throw KeyError.badEnvironmentKey }
            return SymmetricKey(data: raw)
        }
        let path = (dataDirectory as NSString).appendingPathComponent("data.key")
        let fm = FileManager.default
        if let key = try readKeyFile(path) { return key }
        try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // Created with 0600 from the start, never world-readable even for an instant.
        guard fm.createFile(atPath: path, contents: Data(encoded.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KeyError.cannotCreate(path)
        }
        return key
    }

    /// A new random master key, base64 (what `openssl rand -base64 32` gives).
    public static func newMasterKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    private static func loadPrevious(environmentKey: String?, dataDirectory: String) throws -> SymmetricKey? {
        if let env = environmentKey, !env.isEmpty {
            guard let raw = Data(base64Encoded: env), raw.count == 32 else { throw KeyError.badPreviousEnvironmentKey }
            return SymmetricKey(data: raw)
        }
        return try readKeyFile((dataDirectory as NSString).appendingPathComponent("data.key.previous"))
    }

    private static func readKeyFile(_ path: String) throws -> SymmetricKey? {
        guard let text = FileManager.default.contents(atPath: path) else { return nil }
        let trimmed = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: trimmed), raw.count == 32 else { throw KeyError.badKeyFile(path) }
        return SymmetricKey(data: raw)
    }

    /// A short fingerprint of the current master key (a key check value: it reveals nothing of the key),
    /// for the rotation's records and messages.
    public var keyID: String { current.id }
    public var previousKeyID: String? { previous?.id }
    public var hasPreviousKey: Bool { previous != nil }

    /// The same cipher without the old key: what `linli keys verify` checks the data against.
    public var currentKeyOnly: PersonalDataCipher { PersonalDataCipher(current: current, previous: nil) }

    private init(current: Keys, previous: Keys?) {
        self.current = current
        self.previous = previous
    }

    public func seal(_ clear: String) throws -> Data {
        try AES.GCM.seal(Data(clear.utf8), using: current.encryption).combined!
    }

    /// The same with a nonce the caller draws (bulk loads draw them from a `RandomPool`): 12 random
    /// bytes, never used twice with this key.
    func seal(_ clear: String, nonce: [UInt8]) throws -> Data {
        try AES.GCM.seal(Data(clear.utf8), using: current.encryption, nonce: AES.GCM.Nonce(data: nonce)).combined!
    }

    /// Opens with the current key, else (during a rotation) with the previous one: GCM's tag tells
    /// which key sealed a value, so no key id is stored with it.
    public func open(_ sealed: Data) throws -> String {
        do {
            return try open(sealed, with: current)
        } catch {
            guard let previous else { throw error }
            return try open(sealed, with: previous)
        }
    }

    /// The clear value if `sealed` is sealed with the current key, nil if only the previous key opens it.
    /// Throws if neither does.
    public func openIfCurrent(_ sealed: Data) throws -> String? {
        do {
            return try open(sealed, with: current)
        } catch {
            guard let previous else { throw error }
            _ = try open(sealed, with: previous)
            return nil
        }
    }

    private func open(_ sealed: Data, with keys: Keys) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: keys.encryption), as: UTF8.self)
    }

    /// A keyed hash of the normalized value: equal values give equal indexes, and without the key the
    /// index reveals nothing (an unkeyed hash of an ID number is easy to reverse by enumeration).
    public func blindIndex(_ clear: String) -> String {
        Self.blindIndex(clear, with: current)
    }

    /// The index under the current key and, during a rotation, under the previous one: a lookup
    /// searches for both, as a row not rotated yet still carries the old one.
    public func blindIndexes(_ clear: String) -> [String] {
        [Self.blindIndex(clear, with: current)] + (previous.map { [Self.blindIndex(clear, with: $0)] } ?? [])
    }

    /// The index under the previous key (nil outside a rotation).
    public func previousBlindIndex(_ clear: String) -> String? {
        previous.map { Self.blindIndex(clear, with: $0) }
    }

    /// For bulk lookups during a rotation: each value's index under the previous key → its current one
    /// (empty outside a rotation).
    public func previousIndexAliases(_ clears: [String]) -> [String: String] {
        guard let previous else { return [:] }
        var out: [String: String] = [:]
        for c in clears { out[Self.blindIndex(c, with: previous)] = Self.blindIndex(c, with: current) }
        return out
    }

    private static func blindIndex(_ clear: String, with keys: Keys) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(clear.utf8), using: keys.index).prefix(16))
    }
}
