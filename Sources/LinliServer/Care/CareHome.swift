import Foundation
import LinliCore
import LinliData
import Vapor

/// 居家养老's part of the home page.
enum CareHome {
    /// The care work of the day: elders living alone without a visit this week, assessments due, open calls.
    static func todo(_ req: Request) async throws -> Markup {
        let f = try await req.care.figures(in: req.registryScope)
        let tile = HomePage.todoTile
        return """
            <section aria-labelledby="care-h"><h2 id="care-h">居家养老</h2>
            <div class="tiles">
              \(tile("漏访的独居老人", f.missedVisits, "/console/care?missed_visit=true", "red"))
              \(tile("到期待评估", f.due, "/console/care?due=true", "yellow"))
              \(tile("未办结紧急呼叫", f.openCalls, "/console/care/calls?open=true", "red"))
            </div></section>
            """
    }
}
