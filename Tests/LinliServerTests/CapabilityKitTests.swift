import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// The capability kit: what each capability declares is what the platform runs.
@Suite("Capability kit")
struct CapabilityKitTests {
    @Test("migrations: each capability's, the released ones first and in the order they were released")
    func migrationOrder() {
        let names = Capabilities.migrations.map(\.name)
        #expect(Array(names.prefix(11)) == [
            "LinliData.CreateDivisions", "LinliData.CreateBuildingsAndHouseholds", "LinliData.CreateResidents",
            "LinliData.CreateAccountsAndAudit", "LinliData.CreateRequests", "LinliData.CreateIndicatorSnapshots",
            "LinliData.CreateCare", "LinliData.UpdateCareAddUnder60ReasonAndProviderIndex", "LinliData.AddAccountSetupRequired",
            "LinliData.CreateKeyRotations", "LinliData.UpdateRequestStepsAddReply",
        ])
    }

    @Test("capabilities: names unique, each with a contract file; sections in the order of the list")
    func declarations() {
        let names = Capabilities.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Array(Console.sections.map(\.href).prefix(34)) == ["/console", "/console/residents", "/console/divisions", "/console/requests",
                                                                 "/console/requests/board", "/console/care", "/console/disability", "/console/assistance",
                                                                 "/console/employment", "/console/training", "/console/donations", "/console/organizations",
                                                                 "/console/volunteers", "/console/supermarket", "/console/elections",
                                                                 "/console/deliberation", "/console/consultations", "/console/disclosure",
                                                                 "/console/admission", "/console/reports",
                                                                 "/console/workers", "/console/workers/me", "/console/facilities", "/console/facilities/coverage", "/console/life",
                                                                 "/console/party",
                                                                 "/console/housing", "/console/housing/rentals", "/console/housing/units",
                                                                 "/console/patrols", "/console/property",
                                                                 "/console/boundary",
                                                                 "/console/indicators", "/console/import"])
        for name in names {
            #expect(LinliServerResources.contractPart(name) != nil, "\(name) has no contract file")
        }
    }

    @Test("the navigation bar: sections gathered into the plan's menus; a menu the role holds one section of is that link")
    func navigation() throws {
        let all = Console.navigation(Console.sections, path: "/console/care").description
        #expect(all.contains("<summary>基础信息</summary>"))
        #expect(all.contains("<summary class=\"here\">社区服务</summary>"))
        #expect(all.contains("<a href=\"/console/care\" aria-current=\"page\">居家养老</a>"))
        // 导入 comes last in the list but sits in the registry's menu, before 网上受理.
        let registry = try #require(all.range(of: "<summary>基础信息</summary>"))
        let importLink = try #require(all.range(of: "href=\"/console/import\""))
        let requests = try #require(all.range(of: "<summary>网上受理</summary>"))
        #expect(registry.upperBound < importLink.lowerBound && importLink.upperBound < requests.lowerBound)
        // A requests menu that would hold 诉求事项 alone is a plain link.
        let one = Console.navigation(Console.sections.filter { !["/console/requests/board", "/console/patrols"].contains($0.href) }, path: "/console").description
        #expect(!one.contains("网上受理"))
        #expect(one.contains("<a href=\"/console/requests\">诉求事项</a>"))
        #expect(one.contains("<a href=\"/console\" aria-current=\"page\">工作台</a>"))
    }

    @Test("indicators: every capability's, codes unique, every plan target of the mission listed")
    func indicators() throws {
        let catalog = Capabilities.indicatorCatalog
        let codes = catalog.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(catalog.all.count == Capabilities.all.reduce(0) { $0 + $1.indicators.count })
        for name in ["城乡和谐社区达标率", "居民依法自治达标率", "村(居)委会换届选举率", "换届选举一次性成功率", "居家养老服务覆盖率",
                     "社会组织数", "社区志愿者注册率", "每千名老人养老床位数", "护理型床位占比", "居家养老服务场所面积达标率",
                     "捐赠物资接收点覆盖率", "社区无线网络覆盖率", "社区信息平台覆盖率"] {
            #expect(catalog.all.contains { $0.name == name }, "\(name)")
        }
        // The registry, the requests and care count for theirs.
        #expect(Capabilities.indicatorSources.count >= 3)
    }

    @Test("the contract: each capability documents its own API routes in its own file")
    func contractParts() async throws {
        try await withTestApp(residents: 0) { app in
            for capability in Capabilities.all {
                let part = try #require(LinliServerResources.contractPart(capability.name), "\(capability.name)")
                let routes = app.routeTable.all.filter { $0.capability == capability.name && $0.surface == .api && !$0.path.hasPrefix("/open311") }
                for route in routes {
                    let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    #expect(part.contains("\n  /\(path):\n"), "\(route.key) is not in openapi/\(capability.name).yaml")
                }
            }
            // Joined: one document, the base's sections once each, every schema a $ref names defined.
            let yaml = OpenAPIContract.text
            for key in ["openapi:", "info:", "tags:", "security:", "paths:", "components:"] {
                #expect(yaml.components(separatedBy: "\n" + key).count + (yaml.hasPrefix(key) ? 1 : 0) == 2, "\(key)")
            }
            let refs = Set(yaml.matches(of: /#\/components\/schemas\/(\w+)/).map { String($0.1) })
            #expect(refs.count > 50)
            for name in refs { #expect(yaml.contains("\n    \(name):\n"), "schema \(name) is not defined") }
            // The Permission schema names every permission some capability grants (`/auth/me` lists them).
            let schema = try #require(yaml.range(of: "\n    Permission:\n").map { String(yaml[$0.upperBound...].prefix(12000)) })
            let listed = try #require(schema.firstMatch(of: /enum: \[([^\]]+)\]/)).1
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(Set(listed) == Set(Capabilities.permissions.map(\.rawValue)), "\(Set(Capabilities.permissions.map(\.rawValue)).subtracting(listed))")
        }
    }

    @Test("pages call the service layer, never an API handler type")
    func pagesUseServices() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/LinliServer")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.allObjects as? [URL])
        let pages = files.filter { $0.lastPathComponent.hasSuffix("Pages.swift") || $0.lastPathComponent == "HomePage.swift" }
        #expect(pages.count >= 9)
        for file in pages {
            let text = try String(contentsOf: file, encoding: .utf8)
            let uses = text.matches(of: /\b([A-Z][A-Za-z0-9]*API)\b/).map { String($0.1) }
            #expect(uses.isEmpty, "\(file.lastPathComponent) refers to \(uses)")
        }
    }

    /// The grants of every capability joined: the roles' permissions as the platform has always had them.
    @Test("the three administrators are separate and the system admin cannot read the registry")
    func roles() {
        let admins: [Role] = [.systemAdmin, .securityAdmin, .auditAdmin]
        for a in admins {
            for b in admins where a != b { #expect(a.permissions.isDisjoint(with: b.permissions)) }
        }
        #expect(!Role.systemAdmin.permissions.contains(.registryRead))
        #expect(!Role.systemAdmin.permissions.contains(.registryFullView))
        #expect(Role.auditAdmin.permissions == [.auditRead])
        #expect(Role.securityAdmin.permissions == [.accountsManage])
        #expect(Role.systemAdmin.permissions == [.divisionsWrite, .categoriesManage])
        // The grants of the first capabilities, as they have always been (later capabilities may add their own).
        #expect(Role.resident.permissions.isSuperset(of: [.requestsRead]))
        #expect(Role.department.permissions.isSuperset(of: [.requestsRead, .requestsHandle]))
        #expect(Role.gridWorker.permissions.isSuperset(of: [.registryRead, .registryWrite, .registryFullView, .requestsRead, .requestsHandle,
                                                .indicatorsRead, .careRead, .careWrite, .careFullView]))
        #expect(Role.communityWorker.permissions.isSuperset(of: Role.gridWorker.permissions))
        #expect(Role.streetOfficer.permissions.isSuperset(of: [.registryRead, .registryFullView, .requestsRead, .requestsHandle, .requestsSupervise,
                                                   .indicatorsRead, .careRead, .careFullView, .careFacilities]))
        #expect(Role.districtOfficer.permissions.isSuperset(of: [.registryRead, .registryFullView, .divisionsWrite, .requestsRead, .requestsHandle,
                                                     .requestsSupervise, .categoriesManage, .indicatorsRead, .careRead, .careFullView,
                                                     .careFacilities]))
        // Residents and departments see no personal data of the registry and no care files.
        for role: Role in [.resident, .department] {
            #expect(role.permissions.isDisjoint(with: [.registryRead, .registryFullView, .careRead, .careFullView]))
        }
        #expect(Capabilities.permissions.count >= 15)
    }

    @Test("audit actions: each capability's enum, names unique across capabilities and shaped kind.action")
    func auditActions() {
        func names(_ type: any AuditAction.Type) -> [String] { type.all.map { ($0 as any AuditAction).name } }
        let all = Capabilities.all.compactMap(\.audit).flatMap(names)
        #expect(all.count > 40)
        #expect(Set(all).count == all.count, "\(all.sorted())")
        for name in all { #expect(name.wholeMatch(of: /[a-z0-9_]+(\.[a-z0-9_]+)+/) != nil, "\(name)") }
        #expect(all.contains("request.accept") && all.contains("resident.death") && all.contains("care.call.respond"))
    }
}
