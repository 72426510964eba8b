import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// The errors of Linli's own code, as an operator reads them: a Chinese message and an exit status.
enum CommandErrors {
    static func describe(_ error: any Error) -> (message: String, status: ExitStatus)? {
        switch error {
        case let e as CommandFailure:
            return (e.description, e.status)
        case let e as AppConfig.Invalid:
            return ("配置有误：" + e.problems.joined(separator: "；"), .config)
        case let e as RegistryError:
            switch e {
            case .invalid(let errors): return (errors.map { "\($0.field)：\($0.message)" }.joined(separator: "；"), .dataError)
            case .conflict(let error): return (error.message, .dataError)
            case .notFound(let what): return ("\(what) 不存在", .noInput)
            case .staleVersion: return ("记录已被他人修改，请重试", .dataError)
            case .conflictingState(let why), .forbidden(let why): return (why, .dataError)
            }
        case let e as SheetError:
            // A file that is missing, empty, too large or of the wrong type cannot be read as a table.
            return (e.description, .noInput)
        case let e as SQLiteBackup.Failure:
            switch e {
            case .exists, .cannotCreate: return (e.description, .cannotCreate)
            case .notSQLite: return (e.description, .usage)
            case .integrity: return (e.description, .software)
            }
        case let e as FieldError:
            return ("\(e.field)：\(e.message)", .dataError)
        case let e as any AbortError:
            // Linli's checks shared with the API report themselves as HTTP errors; the reason is the Chinese message.
            return (e.reason, e.status.code < 500 ? .dataError : .software)
        default:
            return nil
        }
    }
}

/// swift-argument-parser's usage errors, in Chinese (its messages are fixed English sentences).
enum ParserMessages {
    private static let patterns: [(String, @Sendable (Match) -> String)] = [
        (#"^Unknown option '([^']+)'\. Did you mean '([^']+)'\?$"#, { "未知的选项 \($0[1])（是否想用 \($0[2])？）" }),
        (#"^Unknown option '([^']+)'$"#, { "未知的选项 \($0[1])" }),
        (#"^Missing value for '([^']+)'$"#, { "选项 \($0[1]) 缺少取值" }),
        (#"^Missing expected argument '([^']+)'$"#, { "缺少参数 \($0[1])" }),
        (#"^Missing one of: (.+)$"#, { "缺少以下之一：\($0[1])" }),
        (#"^The value '([^']*)' is invalid for '([^']+)': (.+)$"#, { "取值“\($0[1])”对 \($0[2]) 无效：\($0[3])" }),
        (#"^The value '([^']*)' is invalid for '([^']+)'(.*)$"#, { "取值“\($0[1])”对 \($0[2]) 无效\(values($0[3]))" }),
        (#"^The value '([^']*)' is invalid\.(.*)$"#, { "取值“\($0[1])”无效\(values($0[2]))" }),
        (#"^Unexpected argument '([^']+)'$"#, { "多余的参数“\($0[1])”" }),
        (#"^\d+ unexpected arguments: (.+)$"#, { "多余的参数：\($0[1])" }),
        (#"^The option '([^']+)' does not take any value, but '([^']*)' was specified\.$"#, { "选项 \($0[1]) 不带取值，却给了“\($0[2])”" }),
        (#"^Invalid option: (.+)$"#, { "无效的选项 \($0[1])" }),
        (#"^Missing required subcommand\.$"#, { _ in "缺少命令" }),
        (#"^Value to be set with (.+) had already been set with (.+)$"#, { "\($0[1]) 与 \($0[2]) 不能同时使用" }),
    ]

    struct Match: Sendable {
        let groups: [String]
        subscript(_ i: Int) -> String { i < groups.count ? groups[i] : "" }
    }

    /// The parser's values list, e.g. ". Please provide one of 'a', 'b'", as a Chinese hint.
    private static func values(_ rest: String) -> String {
        let items = rest.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        return items.isEmpty ? "" : "：应为 " + items.joined(separator: "、") + " 之一"
    }

    static func translate(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline).map(String.init)
        return lines.map(translateLine).joined(separator: "；")
    }

    private static func translateLine(_ line: String) -> String {
        let text = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
        for (pattern, make) in patterns {
            guard let re = try? NSRegularExpression(pattern: pattern),
                  let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { continue }
            let groups = (0..<m.numberOfRanges).map { i in
                Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
            }
            return make(Match(groups: groups))
        }
        return text
    }
}

/// The headings and fixed phrases of swift-argument-parser's help, in Chinese.
enum ChineseHelp {
    static func translate(_ help: String) -> String {
        let headings = ["ARGUMENTS:": "参数：", "OPTIONS:": "选项：", "SUBCOMMANDS:": "命令："]
        var lines = help.components(separatedBy: "\n").map { line -> String in
            if let heading = headings[line] { return heading }
            var l = line
            if l.hasPrefix("OVERVIEW: ") { l = "概述：" + l.dropFirst(10) }
            if l.hasPrefix("USAGE: ") { l = "用法：" + l.dropFirst(7) }
            l = l.replacingOccurrences(of: "Show help information.", with: "显示帮助信息。")
            // Same width as " (default)", so the column of abstracts stays aligned.
            l = l.replacingOccurrences(of: " (default)", with: "（默认）  ")
            l = l.replacingOccurrences(of: "(default: ", with: "（默认：")
            l = l.replacingOccurrences(of: "(values: ", with: "（可选：")
            if let r = l.range(of: #"^  See '(.+) <subcommand>' for detailed help\.$"#, options: .regularExpression) {
                let command = l[r].dropFirst(7).components(separatedBy: " <subcommand>").first ?? "linli help"
                l = "  各命令的详细帮助：\(command) <命令>"
            }
            l = l.replacingOccurrences(of: "<subcommand>", with: "<命令>")
            return l
        }
        // The closing parenthesis of a translated "(default: …)" or "(values: …)".
        lines = lines.map { line in
            guard line.contains("（默认：") || line.contains("（可选：") else { return line }
            guard let close = line.lastIndex(of: ")") else { return line }
            return line.replacingCharacters(in: close...close, with: "）")
        }
        return lines.joined(separator: "\n")
    }
}
