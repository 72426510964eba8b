import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The demo district: the plan's 泰州医药高新区 with its five 镇街, 60 村/社区, 7 功能园区, grids,
/// buildings, households and residents, all drawn from one seed so that the same seed gives the same data.
///
/// The district code 321271 is the statistical code of 泰州医药高新技术产业开发区; the codes and names
/// below the 镇街 are made up for the demo.
public enum DemoDistrict {
    public static let districtCode = "321271000000"
    public static let districtName = "泰州医药高新区"
    public static let defaultSeed: UInt64 = 20_160_728
    public static let defaultResidents = 161_000
    /// Ages are drawn against this date, not the clock, so the data does not depend on when it is made.
    static let referenceDate = CivilDate(year: 2026, month: 6, day: 30)!

    public struct Summary: Sendable {
        public var streets = 0, communities = 0, grids = 0, buildings = 0, households = 0
        public var residents = 0, formerResidents = 0, aged60Plus = 0
    }

    /// Loads the district into an empty database in one write transaction. `progress` is called with the
    /// number of people written so far and the total.
    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64 = defaultSeed,
                            residents: Int = defaultResidents,
                            progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        if try await Division.query(on: db).count() > 0 {
            throw RegistryError.conflict(FieldError("database", "数据库中已有区划数据：演示数据只能载入空库"))
        }
        return try await db.writeTransaction(bulk: true) { db in
            let deferred = try await SQLiteBulkLoad.dropSecondaryIndexes(on: db)
            var generator = DemoGenerator(seed: seed, residents: residents, cipher: cipher)
            let summary: DemoDistrict.Summary
            do {
                summary = try await generator.write(on: db, progress: progress)
            } catch {
                // Nothing may still be writing when the transaction rolls back.
                try? await generator.pipeline.drain()
                throw error
            }
            try await SQLiteBulkLoad.recreate(deferred, on: db)
            try await AuditLog.append([AuditEvent(RegistryAudit.demoLoad, detail: ["seed": String(seed), "residents": String(summary.residents)])],
                                      by: .system("demo"), on: db)
            return summary
        }
    }
}

/// Bulk loads into SQLite build the secondary indexes once at the end, from sorted data, instead of
/// updating seven indexes row by row in random order. The indexes are read from the schema itself,
/// so the loader never disagrees with the migrations. Inside the load's transaction: all or nothing.
/// Foreign keys are checked once at commit (`defer_foreign_keys`, which SQLite resets at the end of
/// the transaction). Run inside `writeTransaction(bulk: true)`.
enum SQLiteBulkLoad {
    struct Index { var name: String; var sql: String }

    /// `cacheMiB`: the page cache for the load and the index builds' sort (SQLite's default is 2 MiB).
    static func dropSecondaryIndexes(on db: any Database, tables: [String]? = nil, cacheMiB: Int = 256) async throws -> [Index] {
        guard db.isSQLite else { return [] }
        let sql = SQLHelpers.sql(db)
        try await sql.raw("PRAGMA defer_foreign_keys = ON").run()
        try await sql.raw(SQLQueryString("PRAGMA cache_size = -\(unsafeRaw: String(cacheMiB * 1024))")).run()
        let rows = try await sql.raw("""
            SELECT name, tbl_name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
            """).all().filter { row in try tables.map { $0.contains(try row.decode(column: "tbl_name", as: String.self)) } ?? true }
        let indexes = try rows.map { Index(name: try $0.decode(column: "name", as: String.self), sql: try $0.decode(column: "sql", as: String.self)) }
        for index in indexes { try await sql.drop(index: index.name).run() }
        return indexes
    }

    static func recreate(_ indexes: [Index], on db: any Database) async throws {
        guard db.isSQLite else { return }
        let sql = SQLHelpers.sql(db)
        for index in indexes { try await sql.raw(SQLQueryString(stringLiteral: index.sql)).run() }
        try await sql.raw("ANALYZE").run()
    }
}

/// Writes the district row by row as it is drawn.
struct DemoGenerator {
    var rng: SeededRandom
    let target: Int
    let cipher: PersonalDataCipher
    let today = DemoDistrict.referenceDate
    let now = Date()
    var usedIDs = Set<UInt64>()
    var summary = DemoDistrict.Summary()

    var divisions = BulkInsert(Division.schema, ["id", "code", "name", "level", "kind", "parent_id", "boundary", "version", "created_at", "updated_at"])
    var buildings = BulkInsert(Building.schema, ["id", "grid_id", "grid_code", "name", "address", "latitude", "longitude", "floors", "version", "created_at", "updated_at"])
    var households = BulkInsert.households()
    var residents = BulkInsert.residents()
    var tags = BulkInsert.residentTags()
    var pipeline = InsertPipeline()
    var events = BulkInsert.residentEvents()

    init(seed: UInt64, residents: Int, cipher: PersonalDataCipher) {
        rng = SeededRandom(seed: seed)
        target = residents
        self.cipher = cipher
    }

    // MARK: Layout

    mutating func write(on db: any Database, progress: @Sendable (Int, Int) -> Void) async throws -> DemoDistrict.Summary {
        let district = try DivisionCode(DemoDistrict.districtCode)
        let districtID = rng.uuid()
        addDivision(districtID, district, DemoDistrict.districtName, kind: nil, parent: nil, boundary: nil)

        // Each 村/社区 gets a share of the population between 0.6 and 1.4 of the mean.
        let layout = DemoNames.streets
        var weights: [[Double]] = layout.map { s in (s.communities + (s.village.map { [$0] } ?? [])).map { _ in 0 } }
        for s in weights.indices { for c in weights[s].indices { weights[s][c] = 0.6 + 0.8 * Double.random(in: 0..<1, using: &rng) } }
        let totalWeight = weights.joined().reduce(0, +)
        var assigned = 0
        let communityCount = weights.joined().count
        var communityIndex = 0

        var parkIDs: [UUID] = []
        for park in DemoNames.parks {
            let id = rng.uuid()
            parkIDs.append(id)
            try await SQLHelpers.sql(db).insert(into: Park.schema).columns("id", "code", "name")
                .values(SQLBind(id), SQLBind(park.code), SQLBind(park.name)).run()
        }

        for (s, street) in layout.enumerated() {
            let streetCode = district.child(s + 1)!
            let streetID = rng.uuid()
            addDivision(streetID, streetCode, street.name, kind: nil, parent: districtID, boundary: nil)
            summary.streets += 1
            // Streets lie side by side from west to east; communities in rows inside each.
            let lon0 = 119.90 + Double(s) * 0.024, lat0 = 32.37
            var members: [(String, CommunityKind, Int)] = street.communities.enumerated().map { ($1, .community, $0 + 1) }
            if let v = street.village { members.append((v, .village, 1)) }
            for (c, member) in members.enumerated() {
                let code = streetCode.child(member.2, kind: member.1)!
                let id = rng.uuid()
                addDivision(id, code, member.0, kind: member.1, parent: streetID, boundary: nil)
                try await pipeline.submit([divisions.take()].compactMap { $0 }, on: db)
                try await pipeline.drain()
                for (p, park) in DemoNames.parks.enumerated() where park.streets.contains(s) && (c + p) % 3 == 0 {
                    try await SQLHelpers.sql(db).insert(into: DivisionPark.schema).columns("id", "division_id", "park_id")
                        .values(SQLBind(rng.uuid()), SQLBind(id), SQLBind(parkIDs[p])).run()
                }
                summary.communities += 1
                communityIndex += 1
                let quota = communityIndex == communityCount ? target - assigned
                    : Int((Double(target) * weights[s][c] / totalWeight).rounded())
                assigned += quota
                let origin = (lat: lat0 + Double(c / 3) * 0.025, lon: lon0 + Double(c % 3) * 0.008)
                try await writeCommunity(id: id, code: code, name: member.0, kind: member.1, quota: quota, origin: origin,
                                         on: db, progress: progress)
            }
        }
        try await flushAll(on: db)
        try await pipeline.drain()
        progress(summary.residents, target)
        return summary
    }

    mutating func addDivision(_ id: UUID, _ code: DivisionCode, _ name: String, kind: CommunityKind?, parent: UUID?,
                              boundary: String?) {
        divisions.add([id, code.value, name, code.level.rawValue, kind?.rawValue, parent, boundary, 1, now, now])
    }

    /// One community: grids, buildings, and households until the quota of people is met.
    mutating func writeCommunity(id communityID: UUID, code: DivisionCode, name: String, kind: CommunityKind, quota: Int,
                                 origin: (lat: Double, lon: Double), on db: any Database,
                                 progress: @Sendable (Int, Int) -> Void) async throws {
        let village = kind == .village
        let householdsEstimate = max(1, quota * 10 / 27)
        let gridCount = max(2, Int((Double(householdsEstimate) / 350).rounded()))
        let perBuilding = village ? 1 : [24, 36, 48, 60][rng.int(0...3)]
        let stem = name.replacingOccurrences(of: "社区", with: "").replacingOccurrences(of: "村", with: "")
        var grids: [(id: UUID, code: String, box: (Double, Double, Double, Double))] = []
        for g in 0..<gridCount {
            let gcode = code.child(g + 1)!
            let gid = rng.uuid()
            let cell = 0.025 / Double(gridCount)
            let box = (origin.lat + Double(g) * cell, origin.lon, origin.lat + Double(g + 1) * cell, origin.lon + 0.008)
            let ring = [[box.1, box.0], [box.3, box.0], [box.3, box.2], [box.1, box.2], [box.1, box.0]]
            let polygon = #"{"type":"Polygon","coordinates":[["# + ring.map { "[\(round6($0[0])),\(round6($0[1]))]" }.joined(separator: ",") + "]]}"
            addDivision(gid, gcode, "\(stem)第\(g + 1)网格", kind: nil, parent: communityID, boundary: polygon)
            summary.grids += 1
            grids.append((gid, gcode.value, box))
        }
        try await pipeline.submit([divisions.take()].compactMap { $0 }, on: db)
        var people = 0, householdIndex = 0
        var building: (id: UUID, name: String, used: Int)? = nil
        var buildingNumber = 0
        let estate = stem + DemoNames.estateSuffixes[rng.int(0...DemoNames.estateSuffixes.count - 1)]
        let road = DemoNames.roads[rng.int(0...DemoNames.roads.count - 1)]
        while people < quota {
            let grid = grids[min(grids.count - 1, householdIndex * grids.count / householdsEstimate)]
            if building == nil || building!.used >= perBuilding {
                buildingNumber += 1
                let bid = rng.uuid()
                let bname = village ? "\(stem)\(buildingNumber / 40 + 1)组\(buildingNumber % 40 + 1)号" : "\(estate)\(buildingNumber)幢"
                let lat = grid.box.0 + (grid.box.2 - grid.box.0) * Double.random(in: 0.05..<0.95, using: &rng)
                let lon = grid.box.1 + (grid.box.3 - grid.box.1) * Double.random(in: 0.05..<0.95, using: &rng)
                let floors = village ? rng.int(1...3) : perBuilding / 4 + rng.int(0...6)
                buildings.add([bid, grid.id, grid.code, bname, "\(road)\(rng.int(1...999))号", round6(lat), round6(lon),
                                         floors, 1, now, now])
                summary.buildings += 1
                building = (bid, bname, 0)
            }
            building!.used += 1
            householdIndex += 1
            let hid = rng.uuid()
            let room = village ? "全户" : "\(building!.used % 4 + 1)单元\(building!.used / 4 + 1)0\(building!.used % 2 + 1)室"
            let number = "\(grid.code)-\(zeroPadded(householdIndex, 4))"
            households.add([hid, number, building!.id, grid.code, room, 1, now, now])
            summary.households += 1
            let members = drawHousehold(maxSize: quota - people)
            for m in members where try writePerson(m, household: hid, gridCode: grid.code) { people += 1 }
            if [buildings, households, residents, tags, events].contains(where: \.isFull) { try await flushAll(on: db) }
            if summary.residents % 2000 < members.count { progress(summary.residents, target) }
        }
    }

    mutating func flushAll(on db: any Database) async throws {
        // Parents before children: each statement's foreign keys point at rows already written.
        let batches = [divisions.take(), buildings.take(), households.take(), residents.take(), tags.take(), events.take()]
        try await pipeline.submit(batches.compactMap { $0 }, on: db)
    }

    func zeroPadded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    func round6(_ v: Double) -> Double { (v * 1_000_000).rounded() / 1_000_000 }

    // MARK: People

    struct Person {
        var age: Int
        var sex: Sex
        var relation: HouseholdRelation
        var surname: String?
        var tags: [ResidentTag] = []
        var status: ResidenceStatus = .registered
        /// 残疾人 and 失业人员 as the district once drew them: no longer stored here, but their draws still made.
        var formerTags = 0
    }

    /// A household of a common kind, sized so that about 18.7 % of people are 60 or older (2020 census)
    /// and the mean size is near 2.6.
    mutating func drawHousehold(maxSize: Int) -> [Person] {
        enum Kind { case single, couple, three, four, extended }
        let kind: Kind = rng.weighted([(.single, 0.24), (.couple, 0.29), (.three, 0.24), (.four, 0.12), (.extended, 0.11)])
        var members: [Person] = []
        let male = rng.chance(0.72)
        switch kind {
        case .single:
            let band = rng.weighted([(0, 0.64), (1, 0.08), (2, 0.28)])
            let age = [rng.int(19...50), rng.int(51...59), rng.int(60...94)][band]
            var p = Person(age: age, sex: rng.chance(band == 2 ? 0.4 : 0.58) ? .male : .female, relation: .head)
            if age >= 60 { p.tags.append(.livingAlone) }
            members = [p]
        case .couple:
            let band = rng.weighted([(0, 0.36), (1, 0.17), (2, 0.47)])
            let age = [rng.int(23...42), rng.int(43...59), rng.int(60...88)][band]
            members = [Person(age: age, sex: male ? .male : .female, relation: .head),
                       Person(age: max(20, age + rng.int(-4...3)), sex: male ? .female : .male, relation: .spouse)]
            if members.allSatisfy({ $0.age >= 60 }) { for i in members.indices { members[i].tags.append(.emptyNest) } }
        case .three, .four, .extended:
            let age = kind == .extended ? rng.int(30...52) : rng.int(26...56)
            members = [Person(age: age, sex: male ? .male : .female, relation: .head),
                       Person(age: max(20, age + rng.int(-4...3)), sex: male ? .female : .male, relation: .spouse)]
            let children = kind == .three ? 1 : (kind == .four ? 2 : rng.int(1...2))
            for _ in 0..<children {
                members.append(Person(age: max(0, age - rng.int(22...34)), sex: rng.chance(0.52) ? .male : .female, relation: .child))
            }
            if kind == .extended {
                let parentAge = age + rng.int(24...31)
                members.append(Person(age: parentAge, sex: .male, relation: .parent, surname: nil))
                if rng.chance(0.7) { members.append(Person(age: parentAge + rng.int(-4...2), sex: .female, relation: .parent)) }
            }
        }
        if members.count > maxSize { members = Array(members.prefix(max(1, maxSize))) }

        // Surnames: children take the head's (or, when the head is a woman, her husband's); parents the head's.
        let headSurname = DemoNames.surnames.isEmpty ? "王" : rng.weighted(DemoNames.surnames)
        let spouseSurname = rng.weighted(DemoNames.surnames)
        let familySurname = members[0].sex == .male ? headSurname : spouseSurname
        for i in members.indices {
            switch members[i].relation {
            case .head: members[i].surname = headSurname
            case .spouse: members[i].surname = spouseSurname
            case .child: members[i].surname = familySurname
            case .parent: members[i].surname = members[i].sex == .male ? headSurname : rng.weighted(DemoNames.surnames)
            default: members[i].surname = rng.weighted(DemoNames.surnames)
            }
        }
        // Young households are often migrant (常住 registered elsewhere, or 流动).
        if members[0].age < 45 {
            let status: ResidenceStatus = rng.weighted([(.registered, 0.62), (.resident, 0.24), (.floating, 0.14)])
            for i in members.indices { members[i].status = status }
        }
        let poor = rng.chance(0.012)
        for i in members.indices {
            let p = members[i]
            if poor { members[i].tags.append(.lowIncome) }
            // 党员 follows the party roll, which the party-building demo step fills; the draw stays (see below).
            if p.age >= 18 && rng.chance(0.085) { members[i].formerTags += 1 }
            if p.sex == .male && p.age >= 35 && rng.chance(0.07) { members[i].tags.append(.veteran) }
            // 残疾人 and 失业人员 follow the disability card and the unemployment register, which their own demo steps
            // fill; the draws stay so that the rest of the district comes out as before.
            if rng.chance(p.age >= 60 ? 0.10 : 0.02) { members[i].formerTags += 1 }
            if (18...59).contains(p.age) && p.status == .registered && rng.chance(0.04) { members[i].formerTags += 1 }
            if p.tags.contains(.livingAlone) && rng.chance(0.03) { members[i].tags.append(.extremeHardship) }
        }
        return members
    }

    mutating func givenName(sex: Sex, birthYear: Int) -> String {
        let pool: [Character]
        switch (sex, birthYear) {
        case (.male, ..<1965): pool = DemoNames.maleOld
        case (.male, ..<2000): pool = DemoNames.maleMid
        case (.male, _): pool = DemoNames.maleYoung
        case (.female, ..<1965): pool = DemoNames.femaleOld
        case (.female, ..<2000): pool = DemoNames.femaleMid
        case (.female, _): pool = DemoNames.femaleYoung
        }
        let length = rng.chance(birthYear < 1965 ? 0.75 : 0.62) ? 2 : 1
        return String((0..<length).map { _ in pool[rng.int(0...pool.count - 1)] })
    }

    mutating func citizenID(birth: CivilDate, sex: Sex, status: ResidenceStatus) -> String {
        let regions = status == .registered ? (birth.year >= 2009 ? DemoNames.localRegionsRecent : DemoNames.localRegions) : DemoNames.migrantRegions
        while true {
            let region = rng.weighted(regions)
            let sequence = rng.int(0...499) * 2 + (sex == .male ? 1 : 0)
            let id = CitizenID.make(region: region, birth: birth, sequence: sequence)
            if usedIDs.insert(UInt64(id.prefix(17))!).inserted { return id }
        }
    }

    /// Writes one person and their history; returns whether they are still on the roll.
    mutating func writePerson(_ p: Person, household: UUID, gridCode: String) throws -> Bool {
        // Born within the year before the age was reached: exactly `p.age` on the reference date.
        let birthDate = today.yearsEarlier(p.age).adding(days: -rng.int(0...364))
        let idNumber = citizenID(birth: birthDate, sex: p.sex, status: p.status)
        let name = (p.surname ?? "王") + givenName(sex: p.sex, birthYear: birthDate.year)
        let reading = Pinyin.reading(ofName: name)
        let phone: String? = p.age >= 16 && rng.chance(0.92)
            ? DemoNames.phonePrefixes[rng.int(0...DemoNames.phonePrefixes.count - 1)] + zeroPadded(rng.int(0...99_999_999), 8)
            : nil
        // A small share of people have already died or moved away: their records stay, with the event.
        let leaving: ResidentEventKind? = rng.chance(0.006) ? (p.age >= 60 && rng.chance(0.7) ? .death : .moveOut) : nil
        let lifeStatus: LifeStatus = leaving == .death ? .deceased : (leaving == .moveOut ? .movedOut : .active)
        let id = rng.uuid()
        let tagText = ResidentTag.recorded.filter(p.tags.contains).map(\.rawValue).joined(separator: ",")
        residents.add([
            id, name, reading.full, reading.initials, try cipher.seal(idNumber), cipher.blindIndex(idNumber),
            Masking.citizenID(idNumber), birthDate.description, p.sex.rawValue,
            try phone.map { try cipher.seal($0) }, phone.map(Masking.phone), household, p.relation.rawValue,
            p.status.rawValue, lifeStatus.rawValue, gridCode, tagText, 1, now, now,
        ])
        for tag in ResidentTag.recorded where p.tags.contains(tag) {
            tags.add([rng.uuid(), id, tag.rawValue])
        }
        for _ in 0..<p.formerTags { _ = rng.uuid() }
        let registeredOn = max(birthDate, CivilDate(year: 2016, month: 1, day: 1)!.adding(days: rng.int(0...1800)))
        let firstKind: ResidentEventKind = birthDate >= CivilDate(year: 2016, month: 1, day: 1)! && p.status == .registered ? .birth : .registered
        events.add([rng.uuid(), id, firstKind.rawValue, (firstKind == .birth ? birthDate : registeredOn).description,
                              nil as UUID?, household, nil as String?, nil as String?, now])
        if let leaving {
            let on = min(today, registeredOn.adding(days: rng.int(30...3000)))
            events.add([rng.uuid(), id, leaving.rawValue, on.description, household, nil as UUID?, nil as String?,
                                  nil as String?, now])
            summary.formerResidents += 1
            return false
        }
        summary.residents += 1
        if p.age >= 60 { summary.aged60Plus += 1 }
        return true
    }
}
