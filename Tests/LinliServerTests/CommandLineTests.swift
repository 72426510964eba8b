import ArgumentParser
import Foundation
@testable import LinliCommands
import LinliCore
import LinliData
import Testing
import Vapor

/// The `linli` command line as an operator meets it: Chinese help at every level, and one Chinese line
/// with a documented exit status for every mistake.
@Suite("Command line: help, mistakes and exit statuses")
struct CommandLineTests {
    /// What `linli ARGUMENTS` prints and exits with when parsing stops it (help or a mistake).
    func stopped(_ arguments: [String]) throws -> LinliCLI.Outcome {
        var outcome: LinliCLI.Outcome?
        do {
            var command = try LinliCLI.parse(arguments)
            // `linli help …` is the parser's own command, which shows the help when it runs.
            if !(command is any AsyncParsableCommand) { try command.run() }
        } catch {
            outcome = LinliCLI.outcome(for: error, arguments: arguments)
        }
        return try #require(outcome, "linli \(arguments.joined(separator: " ")) was parsed as a command to run")
    }

    func expectOneChineseLine(_ o: LinliCLI.Outcome, _ status: LinliCommands.ExitStatus, containing phrase: String) {
        #expect(o.status == status)
        #expect(o.text.hasPrefix("错误："), "\(o.text)")
        #expect(o.text.contains(phrase), "\(o.text)")
        #expect(!o.text.contains("\n"), "\(o.text)")
        for leak in ["Abort", "unknownCommand", "Error:", "Usage", "Unknown", "Missing", "invalid", "Unexpected"] {
            #expect(!o.text.contains(leak), "\(leak) in \(o.text)")
        }
    }

    func expectChineseHelp(_ o: LinliCLI.Outcome) {
        #expect(o.status == .success)
        #expect(o.text.contains("概述："), "\(o.text)")
        #expect(o.text.contains("用法："), "\(o.text)")
        #expect(o.text.contains("显示帮助信息"), "\(o.text)")
        for english in ["OVERVIEW", "USAGE", "OPTIONS", "SUBCOMMANDS", "ARGUMENTS", "Show help", "for detailed help"] {
            #expect(!o.text.contains(english), "\(english) in \(o.text)")
        }
    }

    @Test("linli --help is Chinese and lists every command")
    func rootHelp() throws {
        let o = try stopped(["--help"])
        expectChineseHelp(o)
        #expect(o.text.contains("命令："))
        for command in ["serve", "routes", "migrate", "demo", "stats", "user", "audit", "backup", "restore", "keys",
                        "open311", "requests", "import", "export", "indicators", "bench"] {
            #expect(o.text.contains("\n  \(command)"), "\(command) missing from the root help")
        }
        #expect(o.text.contains("邻里社区治理平台"))
        #expect(o.text.contains("64 用法错误"))
        #expect(o.text.contains("用法：linli <命令>"))
        #expect(o.text.contains("  serve（默认）  "))
    }

    @Test("a group's help (linli user --help, linli help keys) is Chinese and lists its subcommands")
    func groupHelp() throws {
        let user = try stopped(["user", "--help"])
        expectChineseHelp(user)
        #expect(user.text.contains("管理账号"))
        for sub in ["create", "disable", "reset-password", "list"] { #expect(user.text.contains("  \(sub) "), "\(sub) missing") }
        let keys = try stopped(["help", "keys"])
        expectChineseHelp(keys)
        for sub in ["prepare", "rotate", "verify"] { #expect(keys.text.contains("  \(sub) "), "\(sub) missing") }
        let create = try stopped(["user", "create", "--help"])
        expectChineseHelp(create)
        #expect(create.text.contains("--password-stdin"))
        #expect(create.text.contains("从标准输入读取密码"))
        #expect(create.text.contains("选项："))
    }

    @Test("an unknown command is one Chinese line and the usage status 64")
    func unknownCommand() throws {
        expectOneChineseLine(try stopped(["frobnicate"]), .usage, containing: "未知的命令“frobnicate”")
        expectOneChineseLine(try stopped(["user", "promote"]), .usage, containing: "未知的命令“promote”：linli user 的命令有 create、")
        expectOneChineseLine(try stopped(["keys"]), .usage, containing: "缺少命令：linli keys 之后应为 prepare、rotate、verify 之一")
        #expect(LinliCommands.ExitStatus.usage.rawValue == 64)
    }

    @Test("unknown option, missing value, invalid value and missing argument read in Chinese")
    func parserMistakes() throws {
        expectOneChineseLine(try stopped(["stats", "--jsn"]), .usage, containing: "未知的选项 --jsn（是否想用 --json？）")
        expectOneChineseLine(try stopped(["serve", "--port"]), .usage, containing: "选项 --port <port> 缺少取值")
        expectOneChineseLine(try stopped(["serve", "--port", "http"]), .usage, containing: "取值“http”对 --port <port> 无效")
        expectOneChineseLine(try stopped(["restore"]), .usage, containing: "缺少参数 <file>")
        expectOneChineseLine(try stopped(["backup"]), .usage, containing: "缺少参数 --out <out>")
        expectOneChineseLine(try stopped(["audit", "verify", "extra"]), .usage, containing: "多余的参数“extra”")
        // The hint names the command whose help explains it.
        #expect(try stopped(["stats", "--jsn"]).text.hasSuffix("（用法见 linli stats --help）"))
    }

    @Test("out-of-range values are refused at parsing, in Chinese")
    func validation() throws {
        expectOneChineseLine(try stopped(["demo", "--residents", "0"]), .usage, containing: "--residents 应在 1 至 5000000 之间")
        expectOneChineseLine(try stopped(["demo", "--load-only", "--requests", "6000000"]), .usage, containing: "--requests 应在 0 至 5000000 之间")
        expectOneChineseLine(try stopped(["serve", "--port", "70000"]), .usage, containing: "--port 应在 0 至 65535 之间")
        expectOneChineseLine(try stopped(["keys", "rotate", "--batch", "0"]), .usage, containing: "--batch 应为 1 至 100000")
        expectOneChineseLine(try stopped(["indicators", "snapshot", "--period", "2026-13"]), .usage, containing: "--period 应为 YYYY-MM")
        expectOneChineseLine(try stopped(["user", "create", "--username", "u", "--role", "mayor", "--scope", "321271002001",
                                          "--password-stdin"]), .usage, containing: "没有角色“mayor”：可用 grid_worker、")
        expectOneChineseLine(try stopped(["export", "residents", "--out", "r.pdf"]), .usage, containing: "不支持的文件类型“.pdf”")
        expectOneChineseLine(try stopped(["user", "create", "--username", "u", "--role", "grid_worker", "--scope", "321271002001"]),
                             .usage, containing: "请用 --password-stdin")
    }

    @Test("the commands and options the scripts use still parse")
    func scriptsParse() throws {
        let lines: [[String]] = [
            [], ["serve", "--port", "8080"], ["serve", "--hostname", "127.0.0.1", "--port", "8080"], ["--port", "8081"],
            ["demo", "--load-only", "--residents", "5000", "--seed", "7"], ["demo", "--requests", "0", "-H", "0.0.0.0", "-p", "9000"],
            ["stats", "--json"], ["user", "create", "--username", "a", "--role", "community_worker", "--scope", "321271002001", "--password-stdin"],
            ["user", "reset-password", "--username", "a", "--password-stdin"], ["user", "disable", "--username", "a"], ["user", "list"],
            ["audit", "verify"], ["audit", "purge"], ["backup", "--out", "b.sqlite"], ["restore", "b.sqlite"], ["migrate"], ["routes"],
            ["export", "residents", "--full", "--out", "r.csv"], ["export", "divisions", "--out", "d.geojson", "--division", "321271002"],
            ["export", "template", "--out", "t.xlsx"], ["import", "residents", "r.csv", "--yes", "--report", "p.xlsx"],
            ["import", "residents", "r.xlsx", "--sheet", "第一网格"], ["import", "residents", "r.xlsx", "--per-grid", "--yes"],
            ["import", "divisions", "d.geojson"], ["import", "buildings", "b.xlsx"], ["open311", "keys", "create", "--name", "ci"],
            ["open311", "keys", "revoke", "--name", "ci"], ["open311", "keys", "list"], ["requests", "escalate"], ["requests", "retally"],
            ["keys", "prepare"], ["keys", "rotate", "--batch", "20"], ["keys", "verify"], ["indicators", "snapshot", "--period", "2026-01"],
            ["indicators", "show", "--json"], ["bench", "search", "--queries", "2000"], ["bench", "ids", "--out", "i.txt", "--queries", "20000"],
            ["bench", "requests", "--queries", "500"], ["bench", "indicators"],
        ]
        for line in lines {
            #expect(throws: Never.self, "linli \(line.joined(separator: " "))") { _ = try LinliCLI.parse(line) }
        }
        let serve = try #require(try LinliCLI.parse(["--port", "8081"]) as? Serve)
        #expect(serve.vaporArguments == ["linli", "serve", "--port", "8081"])
        let production = try #require(try LinliCLI.parse(["serve", "-e", "production", "--log", "warning", "-H", "0.0.0.0"]) as? Serve)
        #expect(production.vaporArguments == ["linli", "serve", "--hostname", "0.0.0.0", "--env", "production", "--log", "warning"])
        expectOneChineseLine(try stopped(["serve", "--log", "loud"]), .usage, containing: "--log 应为 trace、")
    }

    @Test("errors from running a command: one Chinese line, the documented status, no type names")
    func runErrors() {
        let weak = LinliCLI.outcome(for: RegistryError.invalid([FieldError("password", "密码至少10个字符"), FieldError("username", "已被使用")]),
                                    arguments: ["user", "create"])
        expectOneChineseLine(weak, .dataError, containing: "password：密码至少10个字符；username：已被使用")
        let abort = LinliCLI.outcome(for: Abort(.badRequest, reason: "区划代码无效"), arguments: [])
        expectOneChineseLine(abort, .dataError, containing: "区划代码无效")
        let exists = LinliCLI.outcome(for: SQLiteBackup.Failure.exists("/tmp/x"), arguments: [])
        expectOneChineseLine(exists, .cannotCreate, containing: "目标文件 /tmp/x 已存在")
        let broken = LinliCLI.outcome(for: CommandFailure("审计日志链已断开", .checkFailed), arguments: [])
        expectOneChineseLine(broken, .checkFailed, containing: "审计日志链已断开")
        struct Surprise: Error {}
        let internalError = LinliCLI.outcome(for: Surprise(), arguments: [])
        #expect(internalError.status == .software)
        #expect(internalError.text.hasPrefix("错误：内部错误："))
        #expect([LinliCommands.ExitStatus.success, .checkFailed, .usage, .dataError, .noInput, .unavailable, .software, .cannotCreate, .config]
            .map(\.rawValue) == [0, 1, 64, 65, 66, 69, 70, 73, 78])
    }
}
