import Foundation
import LinliCore
import Vapor

/// What a route needs before its handler runs. The server checks it (`Routes`), and the security
/// matrix (`SecurityTests.roleMatrix`) tries every role against every route with it.
enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not (health, the public division tree, the residents' portal, Open311).
    case open
    /// Any signed-in account.
    case signedIn
    /// A signed-in account whose role grants the permission.
    case permission(Permission)
    /// Anyone not signed in; a signed-in account needs the permission (residents' own submissions).
    case anonymousOr(Permission)

    var description: String {
        switch self {
        case .open: return "open"
        case .signedIn: return "signed in"
        case .permission(let p): return p.rawValue
        case .anonymousOr(let p): return "anonymous or " + p.rawValue
        }
    }

    /// Whether an account of `role` (nil: nobody signed in) passes.
    func admits(_ role: Role?) -> Bool {
        switch self {
        case .open: return true
        case .signedIn: return role != nil
        case .permission(let p): return role?.permissions.contains(p) == true
        case .anonymousOr(let p): return role.map { $0.permissions.contains(p) } ?? true
        }
    }
}

/// API routes answer a refusal with problem+json (401/403); console pages send the sign-in page or a 403 page.
enum Surface: String, Sendable { case api, page }

/// One route as its capability declared it.
struct DeclaredRoute: Sendable, Equatable {
    var method: HTTPMethod
    /// `/api/v1/residents/:id` — Vapor's form, as `Route.path` prints it.
    var path: String
    var access: Access
    var surface: Surface
    var capability: String
    var key: String { "\(method.rawValue) \(path)" }
}

/// Every route the capabilities declared, in the order they were registered.
final class RouteTable: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [DeclaredRoute] = []

    func add(_ r: DeclaredRoute) { lock.withLock { routes.append(r) } }
    var all: [DeclaredRoute] { lock.withLock { routes } }
}

extension Application {
    private struct RouteTableKey: StorageKey { typealias Value = RouteTable }

    /// The declared routes (`Routes` fills it; a route Vapor has that is not here was registered around the kit).
    var routeTable: RouteTable {
        if let t = storage[RouteTableKey.self] { return t }
        let t = RouteTable()
        storage[RouteTableKey.self] = t
        return t
    }
}

/// The only way a capability adds routes: each one with what it needs, checked before its handler runs.
/// A capability gets a `Routes`, never Vapor's `RoutesBuilder`, so a route cannot be added without a
/// declaration; `SecurityTests` also checks that every route Vapor serves was declared.
struct Routes {
    private let builder: any RoutesBuilder
    let surface: Surface
    let capability: String
    private let table: RouteTable

    init(_ builder: any RoutesBuilder, surface: Surface, capability: String, table: RouteTable) {
        self.builder = builder
        self.surface = surface
        self.capability = capability
        self.table = table
    }

    func grouped(_ path: PathComponent...) -> Routes {
        Routes(builder.grouped(path), surface: surface, capability: capability, table: table)
    }

    /// The same place, answering refusals as `surface` does.
    func answering(as surface: Surface) -> Routes {
        Routes(builder, surface: surface, capability: capability, table: table)
    }

    func grouped(_ middleware: any Middleware...) -> Routes {
        Routes(builder.grouped(middleware), surface: surface, capability: capability, table: table)
    }

    @discardableResult
    func on<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., needs access: Access,
                                       body: HTTPBodyStreamStrategy = .collect,
                                       use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(method, path, needs: access, body: body, use: handler)
    }

    @discardableResult
    func get<R: AsyncResponseEncodable>(_ path: PathComponent..., needs access: Access,
                                        use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.GET, path, needs: access, use: handler)
    }

    /// A fast path that answers on the event loop without a task (the cached resident read).
    @discardableResult
    func get<R: ResponseEncodable>(_ path: PathComponent..., needs access: Access,
                                   use handler: @Sendable @escaping (Request) throws -> EventLoopFuture<R>) -> Route {
        let surface = self.surface
        let route = builder.on(.GET, path) { req -> EventLoopFuture<R> in
            try Self.check(access, surface, req)
            return try handler(req)
        }
        table.add(DeclaredRoute(method: .GET, path: "/" + route.path.map { "\($0)" }.joined(separator: "/"), access: access,
                                surface: surface, capability: capability))
        return route
    }

    @discardableResult
    func post<R: AsyncResponseEncodable>(_ path: PathComponent..., needs access: Access,
                                         use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.POST, path, needs: access, use: handler)
    }

    @discardableResult
    func patch<R: AsyncResponseEncodable>(_ path: PathComponent..., needs access: Access,
                                          use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.PATCH, path, needs: access, use: handler)
    }

    @discardableResult
    func put<R: AsyncResponseEncodable>(_ path: PathComponent..., needs access: Access,
                                        use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.PUT, path, needs: access, use: handler)
    }

    private func on<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: [PathComponent], needs access: Access,
                                               body: HTTPBodyStreamStrategy = .collect,
                                               use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        let surface = self.surface
        let route = builder.on(method, path, body: body) { req -> R in
            try Self.check(access, surface, req)
            return try await handler(req)
        }
        table.add(DeclaredRoute(method: method, path: "/" + route.path.map { "\($0)" }.joined(separator: "/"), access: access,
                                surface: surface, capability: capability))
        return route
    }

    /// Refuses a request the declaration does not admit: the API with 401/403 problems, a page with the
    /// sign-in page (no session) or a 403 page (`WebErrorMiddleware`).
    static func check(_ access: Access, _ surface: Surface, _ req: Request) throws {
        switch (access, surface) {
        case (.open, _): return
        case (.signedIn, .api): _ = try req.requireSignedIn()
        case (.permission(let p), .api): try req.require(p)
        case (.signedIn, .page): _ = try req.webUser()
        case (.permission(let p), .page): _ = try req.webUser(p)
        case (.anonymousOr(let p), _): if req.principal != nil { try req.require(p) }
        }
    }
}
