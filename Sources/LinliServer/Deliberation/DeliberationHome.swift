import Foundation
import LinliCore
import LinliData
import Vapor

/// 民主协商与网上议事 on the home page: the way in; for a resident, the portal's 网上议事.
enum DeliberationHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/consultations\">网上议事</a></li>"]) }
        guard user.may(.deliberationRead) else { return HomeContribution() }
        return HomeContribution(links: ["<li><a href=\"/console/deliberation\">民主协商（议事会议、决议落实）</a></li>",
                                        "<li><a href=\"/console/consultations\">网上议事（议题、支持和评论）</a></li>"])
    }
}
