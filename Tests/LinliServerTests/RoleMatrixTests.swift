import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// One role per case, each on a database of its own, so that the cases run side by side with the rest of the
/// suite (as one test, the matrix was the suite's longest by far).
@Suite("Security: the role matrix")
struct RoleMatrixTests {
    /// Generated from the routes the capabilities declared (`Routes`): every role against every route,
    /// API and page. A new route is covered without editing this test.
    @Test("every role against every declared route, API and page", arguments: TestUser.allCases)
    func roleMatrix(user: TestUser) async throws {
        try await withTestApp(residents: 300) { app in
            let declared = app.routeTable.all
            #expect(declared.count > 100)
            for route in declared {
                // Signing out ends the session the rest of the matrix uses; tested on their own.
                if route.key == "POST /api/v1/auth/logout" || route.key == "POST /logout" { continue }
                let concrete = route.path.split(separator: "/").map { c -> String in
                    if c == ":code" { return "321271002001" }
                    return c.hasPrefix(":") ? UUID().uuidString : String(c)
                }.joined(separator: "/")
                let path = "/" + concrete
                let admitted = route.access.admits(user.role)
                let what = "\(user) \(route.key) [\(route.access)]"
                switch route.surface {
                case .api:
                    let body: Any? = route.method == .GET ? nil : [String: String]()
                    let status = try await app.call(route.method, path, json: body, as: user).status
                    if admitted {
                        #expect(status != .unauthorized && status != .forbidden, "\(what) → \(status.code)")
                    } else {
                        #expect(status == (user.role == nil ? .unauthorized : .forbidden), "\(what) → \(status.code)")
                    }
                    #expect(status.code < 500, "\(what) → \(status.code)")
                case .page:
                    let r = route.method == .GET ? try await app.page(path, as: user) : try await app.submit(path, [], as: user)
                    let toSignIn = r.status == .seeOther && r.location?.hasPrefix("/login") == true
                    let refused = r.status == .forbidden && (r.text.contains("无权查看此页面") || r.text.contains("无权进行此操作"))
                    if admitted {
                        #expect(!toSignIn && !refused && r.status != .unauthorized, "\(what) → \(r.status.code)")
                    } else if user.role == nil {
                        #expect(toSignIn, "\(what) → \(r.status.code) \(r.location ?? "")")
                    } else {
                        #expect(refused, "\(what) → \(r.status.code)")
                    }
                    #expect(r.status.code < 500, "\(what) → \(r.status.code)")
                }
            }
        }
    }
}
