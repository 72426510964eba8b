import LinliCore
import Testing

@Suite("Requests: the workflow, its time limits and who may act")
struct RequestWorkflowTests {
    /// Every allowed transition, written out independently of the implementation's switch.
    static let allowed: [RequestStatus: [RequestAction: RequestStatus]] = [
        .reported: [.accept: .accepted, .refuse: .refused, .dispatch: .dispatched, .escalate: .reported, .comment: .reported],
        .accepted: [.refuse: .refused, .dispatch: .dispatched, .escalate: .reported, .comment: .accepted],
        .dispatched: [.start: .inProgress, .resolve: .resolved, .return: .accepted, .escalate: .reported, .comment: .dispatched],
        .inProgress: [.resolve: .resolved, .return: .accepted, .escalate: .reported, .comment: .inProgress],
        .resolved: [.verify: .verified, .reopen: .accepted, .comment: .resolved],
        .verified: [.close: .closed, .reopen: .accepted, .comment: .verified],
        .refused: [.close: .closed, .comment: .refused],
        .closed: [.reopen: .accepted, .comment: .closed],
    ]

    @Test("every state × action pair: allowed ones lead where the table says, the rest are refused")
    func transitions() {
        var checked = 0
        for status in RequestStatus.allCases {
            for action in RequestAction.allCases {
                #expect(RequestWorkflow.next(from: status, by: action) == Self.allowed[status]?[action], "\(status) + \(action)")
                checked += 1
            }
        }
        #expect(checked == 8 * 11)
        #expect(RequestWorkflow.actions(from: .reported) == [.accept, .refuse, .dispatch, .escalate])
        #expect(RequestWorkflow.actions(from: .closed) == [.reopen])
    }

    @Test("a happy path from report to closing, and a return to the dispatcher")
    func paths() throws {
        var s = RequestStatus.reported
        for a: RequestAction in [.accept, .dispatch, .start, .resolve, .verify, .close] { s = try #require(RequestWorkflow.next(from: s, by: a), "\(s) by \(a)") }
        #expect(s == .closed)
        #expect(RequestWorkflow.next(from: .inProgress, by: .return) == .accepted)
        #expect(!RequestStatus.closed.isOpen && RequestStatus.dispatched.isOpen)
    }

    @Test("yellow card with a quarter of the time left, red when overdue, none once resolved")
    func cards() {
        let reported: Int64 = 1_000_000, due = reported + 48 * 3600
        #expect(DeadlineCard.of(reportedAt: reported, dueAt: due, now: reported + 35 * 3600, open: true) == .none)
        #expect(DeadlineCard.of(reportedAt: reported, dueAt: due, now: reported + 36 * 3600, open: true) == .yellow)
        #expect(DeadlineCard.of(reportedAt: reported, dueAt: due, now: due - 1, open: true) == .yellow)
        #expect(DeadlineCard.of(reportedAt: reported, dueAt: due, now: due, open: true) == .red)
        #expect(DeadlineCard.of(reportedAt: reported, dueAt: due, now: due + 99_999, open: false) == .none)
    }

    @Test("escalation: a community's overdue request at once, a street's a whole limit later, never past the district")
    func escalation() {
        let r: Int64 = 0, due: Int64 = 24 * 3600
        #expect(!EscalationRule.shouldEscalate(status: .accepted, level: .community, reportedAt: r, dueAt: due, now: due - 1))
        #expect(EscalationRule.shouldEscalate(status: .accepted, level: .community, reportedAt: r, dueAt: due, now: due))
        #expect(!EscalationRule.shouldEscalate(status: .dispatched, level: .street, reportedAt: r, dueAt: due, now: due + 24 * 3600 - 1))
        #expect(EscalationRule.shouldEscalate(status: .dispatched, level: .street, reportedAt: r, dueAt: due, now: due + 24 * 3600))
        #expect(!EscalationRule.shouldEscalate(status: .dispatched, level: .district, reportedAt: r, dueAt: due, now: due * 100))
        #expect(!EscalationRule.shouldEscalate(status: .resolved, level: .community, reportedAt: r, dueAt: due, now: due * 100))
    }

    @Test("who may act: the holder dispatches, the handler resolves, the reporter or a worker of the area verifies")
    func parties() {
        let community = "321271002001", grid = "321271002001001", street = "321271002000"
        let worker = RequestParty(role: .communityWorker, division: community)
        let other = RequestParty(role: .communityWorker, division: "321271003001")
        let gridWorker = RequestParty(role: .gridWorker, division: grid)
        let streetOfficer = RequestParty(role: .streetOfficer, division: street)
        let dept = RequestParty(role: .department, division: "321271000000", department: "CG")
        let reporter = RequestParty(role: nil, division: "", isReporter: true)
        func may(_ a: RequestAction, _ p: RequestParty, holder: String = community, handler: String? = nil) -> Bool {
            RequestRules.allows(a, by: p, holder: holder, handler: handler, area: grid)
        }
        #expect(may(.dispatch, worker) && !may(.dispatch, other) && !may(.dispatch, gridWorker) && !may(.dispatch, reporter))
        #expect(!may(.dispatch, streetOfficer) && may(.dispatch, streetOfficer, holder: street))
        #expect(may(.resolve, dept, handler: "dept:CG") && !may(.resolve, dept, handler: "dept:ZJ") && !may(.resolve, worker, handler: "dept:CG"))
        #expect(may(.resolve, worker, handler: community))
        #expect(may(.verify, gridWorker) && may(.verify, reporter) && may(.verify, worker) && !may(.verify, other) && !may(.verify, dept))
        #expect(may(.reopen, reporter) && !may(.reopen, worker))
        #expect(RequestRules.holder(at: .community, area: grid) == community)
        #expect(RequestRules.holder(at: .street, area: grid) == street)
        #expect(RequestRules.holder(at: .district, area: community) == "321271000000")
        #expect(RequestRules.holder(at: .community, area: "321271000000") == "321271000000")
        #expect(RequestRules.mayDispatch(to: "dept:CG", holder: community))
        #expect(RequestRules.mayDispatch(to: community, holder: street) && RequestRules.mayDispatch(to: community, holder: community))
        #expect(!RequestRules.mayDispatch(to: "321271003001", holder: street) && !RequestRules.mayDispatch(to: grid, holder: community))
    }

    @Test("a point lies in a grid's polygon or not; distances in metres")
    func geometry() {
        let ring = [[119.9, 32.4], [119.91, 32.4], [119.91, 32.41], [119.9, 32.41], [119.9, 32.4]]
        #expect(Geo.contains(ring: ring, latitude: 32.405, longitude: 119.905))
        #expect(!Geo.contains(ring: ring, latitude: 32.415, longitude: 119.905))
        #expect(!Geo.contains(ring: ring, latitude: 0, longitude: 0))
        let d = Geo.distance((32.4, 119.9), (32.401, 119.9))
        #expect(abs(d - 111.2) < 1)
    }

    @Test("the default category tree: two levels, codes valid, every leaf under a group, departments known")
    func defaultTree() {
        let all = DefaultRequestCategories.all
        let groups = Set(all.filter { $0.parent == nil }.map(\.code))
        #expect(groups.count == 8)
        #expect(all.compactMap(\.parent).allSatisfy { groups.contains($0) })
        #expect(all.allSatisfy { RequestCategoryDefinition.isValidCode($0.code) && $0.limitHours > 0 })
        let departments = Set(DefaultRequestCategories.departments.map(\.code))
        #expect(all.compactMap(\.department).allSatisfy { departments.contains($0) })
        #expect(Set(all.map(\.kind)) == [.facility, .event])
        #expect(RequestCategoryDefinition.check(name: "", limitHours: 0).map(\.field) == ["name", "limit_hours"])
    }
}
