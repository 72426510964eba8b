@testable import LinliCore
import Testing

@Suite("Division codes")
struct DivisionCodeTests {
    @Test("levels follow from the code", arguments: [
        ("321271000000", DivisionLevel.district),
        ("321271001000", .street),
        ("321271001001", .community),
        ("321271001201", .community),
        ("321271001001003", .grid),
    ])
    func levels(code: String, level: DivisionLevel) throws {
        #expect(try DivisionCode(code).level == level)
    }

    @Test("malformed codes are refused", arguments: ["", "32127100100", "3212710010011", "32127A001001", "321200000000", "321271000001", "321271001001000", "321271000001001"])
    func refused(code: String) {
        #expect(throws: DivisionCode.Problem.self) { try DivisionCode(code) }
    }

    @Test("parents, children and containment")
    func tree() throws {
        let grid = try DivisionCode("321271002003004")
        #expect(grid.parent?.value == "321271002003")
        #expect(grid.parent?.parent?.value == "321271002000")
        #expect(grid.parent?.parent?.parent?.value == "321271000000")
        #expect(grid.parent?.parent?.parent?.parent == nil)
        let street = try DivisionCode("321271002000")
        #expect(street.contains(grid))
        #expect(!(try DivisionCode("321271001000")).contains(grid))
        #expect(!grid.contains(street))
        #expect(street.child(5)?.value == "321271002005")
        #expect(street.child(1, kind: .village)?.value == "321271002201")
        #expect(try DivisionCode("321271000000").child(3)?.value == "321271003000")
        #expect(grid.child(1) == nil)
        #expect(street.scopePrefix == "321271002")
    }
}

@Suite("Pinyin of names")
struct PinyinTests {
    @Test("full pinyin and initials", arguments: [
        ("张三", "zhangsan", "zs"),
        ("李小龙", "lixiaolong", "lxl"),
        ("吕布", "lvbu", "lb"),
        ("欧阳修", "ouyangxiu", "oyx"),
    ])
    func readings(name: String, full: String, initials: String) {
        let r = Pinyin.reading(ofName: name)
        #expect(r.full == full)
        #expect(r.initials == initials)
    }

    @Test("surnames take their surname reading", arguments: [
        ("单雄信", "s"), ("曾国藩", "z"), ("解缙", "x"), ("仇英", "q"), ("区小明", "o"),
    ])
    func surnames(name: String, initial: String) {
        #expect(Pinyin.reading(ofName: name).initials.hasPrefix(initial))
    }

    @Test("queries are normalised like stored readings")
    func query() {
        #expect(Pinyin.normalizeQuery("ZS") == "zs")
        #expect(Pinyin.normalizeQuery("lü") == "lv")
    }
}

@Suite("Civil dates and resident rules")
struct CivilDateTests {
    @Test("parsing, leap days and ages")
    func dates() throws {
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2023-02-29") == nil)
        #expect(CivilDate("1900-02-29") == nil)
        #expect(CivilDate("2000-02-29") != nil)
        #expect(CivilDate("20240101")?.description == "2024-01-01")
        #expect(CivilDate("2024-1-01") == nil)
        let birth = try civil("1966-07-01")
        #expect(try birth.age(on: civil("2026-06-30")) == 59)
        #expect(try birth.age(on: civil("2026-07-01")) == 60)
        #expect(try civil("2024-02-29").yearsEarlier(1).description == "2023-02-28")
        for text in ["1970-01-01", "2000-02-29", "1899-12-31", "2026-06-30"] {
            let d = try #require(CivilDate(text))
            #expect(CivilDate(dayNumber: d.dayNumber) == d)
        }
        #expect(try civil("1970-01-01").dayNumber == 0)
        #expect(try civil("2026-06-30").adding(days: 1).description == "2026-07-01")
    }

    @Test("names and phone numbers")
    func rules() {
        #expect((try? ResidentRules.checkName("  张三 ").get()) == "张三")
        #expect((try? ResidentRules.checkName("阿依古丽·买买提").get()) != nil)
        #expect((try? ResidentRules.checkName("<b>x</b>").get()) == nil)
        #expect((try? ResidentRules.checkName("张3").get()) == nil)
        #expect((try? ResidentRules.checkName("").get()) == nil)
        #expect((try? ResidentRules.checkPhone("138-1234-5678").get()) == "13812345678")
        #expect((try? ResidentRules.checkPhone("0523-86123456").get()) == "052386123456")
        #expect((try? ResidentRules.checkPhone("12345678901").get()) == nil)
        #expect((try? ResidentRules.checkPhone("abc").get()) == nil)
    }

    @Test("age tags follow from the birth date; the others are recorded")
    func tags() throws {
        let today = try civil("2026-06-30")
        #expect(try ResidentTag.effective(recorded: [.veteran], birthDate: civil("1940-01-01"), today: today) == [.elderly, .oldestOld, .veteran])
        #expect(try ResidentTag.effective(recorded: [], birthDate: civil("1966-07-01"), today: today) == [])
        #expect(try ResidentTag.effective(recorded: [], birthDate: civil("1966-06-30"), today: today) == [.elderly])
    }
}
