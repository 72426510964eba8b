import FluentKit
import Foundation
import LinliCore
import LinliData
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// Request counts and latencies in Prometheus' text format at `/metrics`, labelled by the route's
/// pattern (`/api/v1/residents/:id`), never by the concrete path, so the number of series stays fixed.
final class RequestMetrics: Sendable {
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    struct Series {
        var count = 0
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: RequestMetrics.buckets.count)
    }

    private let state = NIOLockedValueBox<[String: Series]>([:])
    private let statuses = NIOLockedValueBox<[String: Int]>([:])
    private let inFlight = NIOLockedValueBox(0)
    /// Writes the database could not take (`busy`: the write lock was not had in time; `unwritable`: a full
    /// disk, a read-only or failing file), answered 503.
    private let refusals = NIOLockedValueBox<[String: Int]>(["busy": 0, "unwritable": 0])

    func started() { inFlight.withLockedValue { $0 += 1 } }
    func finished() { inFlight.withLockedValue { $0 -= 1 } }
    func refused(_ reason: String) { refusals.withLockedValue { $0[reason, default: 0] += 1 } }

    func record(method: String, route: String, status: UInt, seconds: Double) {
        let key = "method=\"\(method)\",route=\"\(route)\""
        state.withLockedValue { all in
            var s = all[key] ?? Series()
            s.count += 1
            s.sum += seconds
            for (i, b) in Self.buckets.enumerated() where seconds <= b { s.buckets[i] += 1 }
            all[key] = s
        }
        statuses.withLockedValue { $0[key + ",status=\"\(status)\"", default: 0] += 1 }
    }

    func text() -> String {
        var out = "# HELP linli_http_requests_total HTTP requests by route pattern and status.\n# TYPE linli_http_requests_total counter\n"
        for (labels, n) in statuses.withLockedValue({ $0 }).sorted(by: { $0.key < $1.key }) {
            out += "linli_http_requests_total{\(labels)} \(n)\n"
        }
        out += "# HELP linli_http_request_duration_seconds Time to answer, by route pattern.\n# TYPE linli_http_request_duration_seconds histogram\n"
        for (labels, s) in state.withLockedValue({ $0 }).sorted(by: { $0.key < $1.key }) {
            for (i, b) in Self.buckets.enumerated() {
                out += "linli_http_request_duration_seconds_bucket{\(labels),le=\"\(b)\"} \(s.buckets[i])\n"
            }
            out += "linli_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(s.count)\n"
            out += "linli_http_request_duration_seconds_sum{\(labels)} \(s.sum)\n"
            out += "linli_http_request_duration_seconds_count{\(labels)} \(s.count)\n"
        }
        out += "# HELP linli_http_requests_in_flight Requests being answered now.\n# TYPE linli_http_requests_in_flight gauge\n"
        out += "linli_http_requests_in_flight \(inFlight.withLockedValue { $0 })\n"
        out += "# HELP linli_database_writes_refused_total Writes answered 503 because the database could not take them.\n"
        out += "# TYPE linli_database_writes_refused_total counter\n"
        for (reason, n) in refusals.withLockedValue({ $0 }).sorted(by: { $0.key < $1.key }) {
            out += "linli_database_writes_refused_total{reason=\"\(reason)\"} \(n)\n"
        }
        return out
    }
}

struct MetricsMiddleware: Middleware {
    let metrics: RequestMetrics

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = DispatchTime.now().uptimeNanoseconds
        metrics.started()
        return next.respond(to: request).always { _ in metrics.finished() }.map { response in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            metrics.record(method: request.method.rawValue, route: request.routePattern, status: response.status.code, seconds: seconds)
            return response
        }
    }
}

extension Application {
    struct MetricsKey: StorageKey { typealias Value = RequestMetrics }
    var requestMetrics: RequestMetrics {
        if let m = storage[MetricsKey.self] { return m }
        let m = RequestMetrics()
        storage[MetricsKey.self] = m
        return m
    }
}

/// `GET /metrics`: request series plus the registry's headline counts, the read caches and the database.
func metricsPage(req: Request) async throws -> Response {
    let stats = try await RegistryStats.compute(on: req.db, today: req.application.linli.today())
    let config = req.application.linli
    var text = req.application.requestMetrics.text()
    text += "# HELP linli_registry_total Records in the registry.\n# TYPE linli_registry_total gauge\n"
    for (name, value) in [("streets", stats.streets), ("communities", stats.communities), ("grids", stats.grids),
                          ("buildings", stats.buildings), ("households", stats.households), ("residents", stats.residents),
                          ("residents_aged_60_plus", stats.residentsAged60Plus)] {
        text += "linli_registry_total{kind=\"\(name)\"} \(value)\n"
    }
    text += "# HELP linli_cache_lookups_total Read cache lookups.\n# TYPE linli_cache_lookups_total counter\n"
    if let c = config.residentCache {
        text += "linli_cache_lookups_total{cache=\"resident\",result=\"hit\"} \(c.hits)\n"
        text += "linli_cache_lookups_total{cache=\"resident\",result=\"miss\"} \(c.misses)\n"
    }
    text += "linli_cache_lookups_total{cache=\"session\",result=\"hit\"} \(config.sessionCache.hits)\n"
    text += "linli_cache_lookups_total{cache=\"session\",result=\"miss\"} \(config.sessionCache.misses)\n"
    text += "# HELP linli_database_info The database in use.\n# TYPE linli_database_info gauge\n"
    text += "linli_database_info{kind=\"\(req.db.isSQLite ? "sqlite" : "postgresql")\"} 1\n"
    text += "# HELP linli_database_pool_max_connections Connections the server may open to the database.\n"
    text += "# TYPE linli_database_pool_max_connections gauge\n"
    text += "linli_database_pool_max_connections \(config.databasePoolSize)\n"
    text += try await BusinessCounts.text(on: req.db)
    let response = Response(status: .ok, body: .init(string: text))
    response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
    return response
}

/// Business counters read from the database at each scrape: what the platform has recorded so far.
/// Labels are fixed lists (event kinds, request states); later capabilities add theirs here.
enum BusinessCounts {
    static func text(on db: any Database) async throws -> String {
        let sql = db as! any SQLDatabase
        var out = "# HELP linli_resident_events_total Registry events recorded, by kind.\n# TYPE linli_resident_events_total counter\n"
        let kinds = try await sql.raw("SELECT kind, COUNT(*) AS n FROM resident_events GROUP BY kind ORDER BY kind").all()
        for row in kinds {
            let kind = try row.decode(column: "kind", as: String.self)
            guard ResidentEventKind(rawValue: kind) != nil else { continue }
            out += "linli_resident_events_total{kind=\"\(kind)\"} \(try row.decode(column: "n", as: Int.self))\n"
        }
        // Requests by state, from the tallies kept with every write (no scan of the history).
        out += "# HELP linli_requests Requests and grid events recorded, by state.\n# TYPE linli_requests gauge\n"
        var byStatus: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM request_tallies GROUP BY status").all() {
            byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for status in RequestStatus.allCases { out += "linli_requests{status=\"\(status.rawValue)\"} \(byStatus[status.rawValue] ?? 0)\n" }
        let last = try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log").first()
        out += "# HELP linli_audit_entries_total Entries appended to the audit log (its last sequence number).\n"
        out += "# TYPE linli_audit_entries_total counter\n"
        out += "linli_audit_entries_total \(try last?.decode(column: "n", as: Int.self) ?? 0)\n"
        return out
    }
}
