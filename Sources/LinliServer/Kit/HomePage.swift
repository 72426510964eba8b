import Foundation
import LinliCore
import LinliData
import Vapor

/// The home page of each role: what needs the user's action today, then the key figures of their area.
enum HomePage {
    /// Every capability's part, in the order of the list: to-do sections first, then the area's figures, then links.
    static func render(_ req: Request, _ user: WebUser) async throws -> Markup {
        let area = try await areaName(req, user)
        var parts: [Markup] = ["<h1>\(user.account.displayName)，您好</h1>",
                               "<p class=\"muted\">\(user.role.label) · \(area)</p>"]
        var figures: [Markup] = [], links: [Markup] = []
        for capability in Capabilities.all {
            let part = try await capability.home(req, user)
            parts += part.todo
            figures += part.figures
            links += part.links
        }
        if !figures.isEmpty {
            parts.append("<section aria-labelledby=\"fig-h\"><h2 id=\"fig-h\">辖区概况</h2><div class=\"tiles\">\(figures)</div></section>")
        }
        if user.role.isAdministrator {
            links.append("<li>管理员的账号、审计和备份操作通过接口（/api/v1/accounts、/api/v1/audit）和命令行 <code>linli</code> 进行。</li>")
        }
        links.append("<li><a href=\"/console/password\">修改密码</a>（会话 30 分钟无操作后自动结束）</li>")
        parts.append("<section aria-labelledby=\"links-h\"><h2 id=\"links-h\">常用功能</h2><ul>\(links)</ul></section>")
        return parts.joined(separator: "\n")
    }

    /// A figure on the home page.
    static func figure(_ label: String, _ value: String) -> Markup {
        "<div class=\"tile\"><span>\(label)</span><b>\(value)</b></div>"
    }

    /// A to-do tile: a count that links to the list, coloured when not zero.
    static func todoTile(_ label: String, _ n: Int, _ href: String, _ tone: String) -> Markup {
        "<a class=\"tile \(n > 0 ? tone : "")\" href=\"\(href)\"><span>\(label)</span><b>\(n)</b></a>"
    }

    static func areaName(_ req: Request, _ user: WebUser) async throws -> String {
        if user.role == .department, let code = user.account.departmentCode {
            let name = try await req.requestQueries.departments().first { $0.code == code }?.name
            return name ?? code
        }
        let code = user.account.divisionCode
        return try await DivisionQueries(req.db).find(code: code)?.name ?? code
    }
}
