import ArgumentParser
import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli keys prepare|rotate|verify`: rotating the data key (docs/operations.md, decision 0010).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "数据密钥轮换：prepare 准备新密钥文件，rotate 重新加密，verify 检查",
        discussion: "服务运行时即可轮换，步骤见 docs/operations.md。",
        subcommands: [Prepare.self, Rotate.self, Verify.self]
    )

    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare", abstract: "密钥文件安装：生成新的 data.key，旧的改名为 data.key.previous（之后重启服务）")
        func run() async throws {
            // Only the key folder is touched: the database is not opened.
            try KeyFiles.prepare(try AppConfig.fromEnvironment())
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate", abstract: "用新密钥重新加密全部加密值并重建盲索引（分批提交，中断后再运行即接续）")
        @Option(help: "每批重新加密的行数，1 至 100000") var batch = 500
        func validate() throws {
            guard (1...100_000).contains(batch) else { throw ValidationError("--batch 应为 1 至 100000 之间的行数") }
        }
        func run() async throws {
            try await LinliApp.run { app in
                try await app.autoMigrate()
                let rotation = KeyRotation(app.db, cipher: app.linli.cipher, batchSize: batch)
                let started = Date()
                let bar = ProgressBar(label: "重新加密", unit: "行")
                let summary = try await rotation.rotate(by: .system("cli")) { done, total in bar.update(done, of: total) }
                bar.finish()
                say(String(format: "密钥轮换完成：检查 %d 行，本次重新加密 %d 行（%.1f 秒）%@。新密钥 %@，旧密钥 %@。",
                           summary.rows, summary.rotated, Date().timeIntervalSince(started), summary.resumed ? "，接续上次中断处" : "",
                           app.linli.cipher.keyID, app.linli.cipher.previousKeyID ?? "-"))
                say("下一步：运行 linli keys verify；通过后删除旧密钥（LINLI_DATA_KEY_PREVIOUS 或 data.key.previous）并重启服务。")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "检查全部加密值都能用当前密钥解密、盲索引一致（未通过时退出码为 1）")
        func run() async throws {
            try await LinliApp.run { app in
                try await app.autoMigrate()
                let rotation = KeyRotation(app.db, cipher: app.linli.cipher)
                let started = Date()
                let result = try await rotation.verify()
                let finished = try await rotation.isFinished()
                if result.problemCount > 0 {
                    for p in result.problems.prefix(50) { warn(p.description) }
                    if finished == false { warn("到当前密钥的轮换尚未完成：请运行 linli keys rotate") }
                    throw CommandFailure("检查未通过：\(result.values) 个加密值中有 \(result.problemCount) 个问题（当前密钥 \(app.linli.cipher.keyID)）。",
                                         .checkFailed)
                }
                say(String(format: "检查通过：%d 个加密值全部可用当前密钥（%@）解密，盲索引一致（%.1f 秒）。%@", result.values,
                           app.linli.cipher.keyID, Date().timeIntervalSince(started),
                           app.linli.cipher.hasPreviousKey ? "现在可以删除旧密钥并重启服务。" : ""))
            }
        }
    }
}

enum KeyFiles {
    /// For installations that keep the key in `data.key`: the current key becomes `data.key.previous` and
    /// a new `data.key` (0600) is written; the server must then be restarted before `rotate`.
    static func prepare(_ config: AppConfig) throws {
        let env = ProcessInfo.processInfo.environment
        guard (env["LINLI_DATA_KEY"] ?? "").isEmpty else {
            throw CommandFailure("密钥来自 LINLI_DATA_KEY：请把旧值设为 LINLI_DATA_KEY_PREVIOUS、新值（openssl rand -base64 32）设为 LINLI_DATA_KEY，重启服务后运行 linli keys rotate", .usage)
        }
        let dir = config.dataDirectory as NSString
        let current = dir.appendingPathComponent("data.key"), previous = dir.appendingPathComponent("data.key.previous")
        let fm = FileManager.default
        guard !fm.fileExists(atPath: previous) else {
            throw CommandFailure("\(previous) 已存在：上一次轮换尚未结束（运行 linli keys rotate 与 verify，通过后删除它）", .cannotCreate)
        }
        guard fm.fileExists(atPath: current) else { throw CommandFailure("没有密钥文件 \(current)", .noInput) }
        let key = PersonalDataCipher.newMasterKey() + "\n"
        let staged = current + ".new"
        guard PrivateFiles.create(staged, contents: Data(key.utf8)) else { throw CommandFailure("无法写入 \(staged)", .cannotCreate) }
        // The old key gets its second name first, then the new one replaces data.key in one rename: at
        // no moment is there no data.key (a start then would make a key of its own).
        guard link(current, previous) == 0, rename(staged, current) == 0 else { throw CommandFailure("无法替换密钥文件", .cannotCreate) }
        say("已生成新密钥 data.key，旧密钥改名为 data.key.previous（两者都请离线备份）。")
        say("下一步：重启服务（systemctl restart linli），然后运行 linli keys rotate。")
    }
}
