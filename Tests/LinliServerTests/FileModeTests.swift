import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// Files holding personal data are the service user's alone, even when the process runs with the
/// common umask 022 (a shell, cron, a unit without `UMask=`).
@Suite("File permissions")
struct FileModeTests {
    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
    }

    @Test("the data folder, the database with its WAL files, backups and full exports are 0700/0600 under umask 022")
    func privateModes() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let root = NSTemporaryDirectory() + "linli-modes-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/data"
        let key = Data(repeating: 9, count: 32).base64EncodedString()
        let config = try AppConfig.fromEnvironment(["LINLI_DATA_DIR": dir, "LINLI_DATA_KEY": key])
        #expect(config.dataDirectory == dir)
        #expect(try mode(dir) == 0o700)

        let exports = root + "/exports"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try await withTestApp(residents: 200, storage: .sqliteFile(dir + "/linli.sqlite")) { app in
            let h = try await app.anyHousehold()
            let r = try await app.call(.POST, "/api/v1/residents", json: ["name": "权限", "id_number": newID(), "household_id": h.id, "relation": "other"])
            #expect(r.status == .created)
            for suffix in ["", "-wal", "-shm"] {
                #expect(try mode(dir + "/linli.sqlite" + suffix) == 0o600, "linli.sqlite\(suffix)")
            }
            try await SQLiteBackup.backup(app.db, to: exports + "/backup.sqlite")
            #expect(try mode(exports + "/backup.sqlite") == 0o600)
            let export = RegistryExport(app.db, cipher: testCipher, scope: .everything)
            for file in ["full.csv", "full.xlsx"] {
                let n = try await export.residents(to: exports + "/" + file, full: true, by: .system("test"))
                #expect(n > 200)
                #expect(try mode(exports + "/" + file) == 0o600, "\(file)")
            }
        }
        #expect(try mode(dir) == 0o700)
    }
}
