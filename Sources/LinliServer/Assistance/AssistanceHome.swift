import Foundation
import LinliCore
import LinliData
import Vapor

/// 社会救助 on the home page: decisions past their time limit, re-checks due (or a member who died or moved
/// out), objections waiting for the street, cases under notice; a resident's link to their household's cases.
enum AssistanceHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.may(.assistanceOwn) {
            return HomeContribution(links: ["<li><a href=\"/my/assistance\">我家的救助</a></li>", "<li><a href=\"/notices\">社会救助公示</a></li>"])
        }
        guard user.may(.assistanceRead) else { return HomeContribution() }
        let f = try await req.assistance.figures(in: req.registryScope)
        let tile = HomePage.todoTile
        let todo: Markup = """
            <section aria-labelledby="assistance-h"><h2 id="assistance-h">社会救助</h2>
            <div class="tiles">
              \(tile("超过审批时限", f.overdue, "/console/assistance?overdue=true", "red"))
              \(tile("待复核", f.recheckDue, "/console/assistance?recheck_due=true", "red"))
              \(user.may(.assistanceReview) ? tile("待核实的公示异议", f.openObjections, "/console/assistance/objections", "red") : .empty)
              \(tile("公示中", f.noticed, "/console/assistance?stage=noticed", "yellow"))
            </div></section>
            """
        return HomeContribution(todo: [todo],
                                figures: ["<div class=\"tile\"><span>在保低保户</span><b>\(f.dibaoHouseholds)</b></div>",
                                          "<div class=\"tile\"><span>在保特困人员</span><b>\(f.tekunPeople)</b></div>"],
                                links: ["<li><a href=\"/console/assistance\">社会救助（受理、审核、公示、复核）</a></li>"])
    }
}
