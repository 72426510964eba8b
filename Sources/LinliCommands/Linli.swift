import ArgumentParser
import Foundation

/// `linli`: the server and the operators' commands. Without a command it serves (`linli serve`).
public struct Linli: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "linli",
        abstract: "邻里社区治理平台：启动服务，以及数据、账号、备份、密钥等运维命令。",
        discussion: """
            不带命令时等同于 linli serve。配置来自环境变量（LINLI_DATA_DIR、DATABASE_URL、LINLI_DATA_KEY 等，见 README.md）。
            退出码：0 成功；1 检查未通过（audit verify、keys verify）；64 用法错误（命令、选项或取值有误）；\
            65 输入数据无效；66 输入不存在或无法读取；69 所需程序或服务不可用；70 内部错误；73 无法创建输出文件；78 配置有误。
            """,
        subcommands: [
            Serve.self, Routes.self, Migrate.self, Demo.self, Stats.self, UserCommand.self, AuditCommand.self,
            BackupCommand.self, RestoreCommand.self, KeysCommand.self, Open311Command.self, RequestsCommand.self,
            ImportCommand.self, ExportCommand.self, IndicatorsCommand.self, BenchCommand.self,
            AssistanceCommand.self,
            SupermarketCommand.self,
            MeasuresCommand.self,
            FacilitiesCommand.self,
            BoundaryCommand.self,
        ],
        defaultSubcommand: Serve.self
    )

    public init() {}
}

/// The exit statuses of `linli` (sysexits.h where one fits; README.md lists them).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A check ran and found a problem: `audit verify`, `keys verify`.
    case checkFailed = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case config = 78
}

/// A refusal the command explains itself: one Chinese line and an exit status.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var status: ExitStatus
    public init(_ message: String, _ status: ExitStatus = .dataError) {
        description = message
        self.status = status
    }
}

/// Runs the command line: parses, runs, and turns every error into one line and an exit status.
public enum LinliCLI {
    public static func main(_ arguments: [String]) async -> Never {
        do {
            var command = try parse(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            let outcome = outcome(for: error, arguments: arguments)
            if !outcome.text.isEmpty {
                if outcome.status == .success {
                    print(outcome.text)
                } else {
                    FileHandle.standardError.write(Data((outcome.text + "\n").utf8))
                }
            }
            exit(outcome.status.rawValue)
        }
    }

    /// Parses `arguments` (without the program's name). Unknown commands and a group without its
    /// subcommand are caught here: the parser would only call them an unexpected argument.
    public static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        let (path, node, rest) = commandPath(arguments)
        if let word = rest.first, !word.hasPrefix("-"), word != "help", !node.configuration.subcommands.isEmpty {
            let known = node.configuration.subcommands.compactMap { $0.configuration.commandName }
            throw CommandFailure("未知的命令“\(word)”：\(path.joined(separator: " ")) 的命令有 \(known.joined(separator: "、"))", .usage)
        }
        if rest.first == nil || rest.first?.hasPrefix("-") == true, node.configuration.defaultSubcommand == nil,
           !node.configuration.subcommands.isEmpty, !rest.contains(where: { $0 == "-h" || $0 == "--help" }) {
            let known = node.configuration.subcommands.compactMap { $0.configuration.commandName }
            throw CommandFailure("缺少命令：\(path.joined(separator: " ")) 之后应为 \(known.joined(separator: "、")) 之一", .usage)
        }
        return try Linli.parseAsRoot(arguments)
    }

    /// The commands named at the start of `arguments`, the last of them, and what follows.
    static func commandPath(_ arguments: [String]) -> (path: [String], node: any ParsableCommand.Type, rest: ArraySlice<String>) {
        var node: any ParsableCommand.Type = Linli.self
        var path = ["linli"]
        var rest = arguments[...]
        while let word = rest.first,
              let next = node.configuration.subcommands.first(where: { $0.configuration.commandName == word }) {
            node = next
            path.append(word)
            rest = rest.dropFirst()
        }
        return (path, node, rest)
    }

    public struct Outcome: Sendable {
        /// Help on standard output when `status` is success, else the one line for standard error.
        public var text: String
        public var status: ExitStatus
    }

    /// What `main` prints and exits with for `error`.
    public static func outcome(for error: any Error, arguments: [String]) -> Outcome {
        if let known = CommandErrors.describe(error) {
            return Outcome(text: "错误：" + oneLine(known.message), status: known.status)
        }
        let parserCode = Linli.exitCode(for: error)
        if parserCode == .success {
            return Outcome(text: ChineseHelp.translate(Linli.fullMessage(for: error)), status: .success)
        }
        if parserCode == .validationFailure {
            let path = commandPath(arguments).path.joined(separator: " ")
            let message = ParserMessages.translate(Linli.message(for: error))
            return Outcome(text: "错误：" + oneLine(message) + "（用法见 \(path) --help）", status: .usage)
        }
        if let code = error as? ExitCode {
            return Outcome(text: "", status: ExitStatus(rawValue: code.rawValue) ?? .software)
        }
        return Outcome(text: "错误：内部错误：" + oneLine(String(describing: error)), status: .software)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "；")
    }
}

// Vapor's ConsoleKit has property wrappers of the same names; the commands use swift-argument-parser's.
typealias Option<Value> = ArgumentParser.Option<Value>
typealias Flag<Value> = ArgumentParser.Flag<Value>
typealias Argument<Value> = ArgumentParser.Argument<Value>
