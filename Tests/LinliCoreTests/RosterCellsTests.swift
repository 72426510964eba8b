import LinliCore
import Testing

@Suite("Rosters as typed: cleaning and numbers stored for text")
struct RosterCellsTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    /// A valid ID number (GB 11643 check character) and the same with its last three digits lost.
    let id = CitizenID.make(region: "321282", birth: CivilDate(year: 1980, month: 1, day: 2)!, sequence: 123)

    @Test("full-width digits, letters and spaces become half-width; codes lose their spaces; x becomes X")
    func halfWidth() {
        // Worked cases: (typed, as a code).
        let cases: [(String, String)] = [
            ("３２１２８２１９８００１０２１２３Ｘ", "32128219800102123X"), ("３２１２８２ １９８００１０２ １２３ｘ", "32128219800102123X"),
            ("139 0000 0001", "13900000001"), ("\u{3000}13900000001\u{3000}", "13900000001"), ("１３９００００００01", "13900000001"),
            ("R-001", "R-001"), ("r-001\t", "R-001"), ("\u{FEFF}12\u{200B}3", "123"), ("", ""),
        ]
        for (typed, code) in cases { #expect(RosterText.code(typed) == code, "\(typed)") }
        #expect(RosterText.halfWidth("３号楼　２单元") == "3号楼 2单元")
        #expect(RosterText.trimmed("\u{3000} 3号楼\u{00A0}") == "3号楼")
    }

    @Test("names: no spaces inside Chinese names, the middle dot kept, one space between Latin words")
    func names() {
        let cases: [(String, String)] = [
            ("张 三", "张三"), ("张\u{3000}三", "张三"), (" 王  小明 ", "王小明"), ("阿依古丽 · 买买提", "阿依古丽·买买提"),
            ("阿依古丽·买买提", "阿依古丽·买买提"), ("Anna  Li", "Anna Li"), ("Ａｎｎａ Ｌｉ", "Anna Li"), ("李 Anna", "李Anna"), ("", ""),
        ]
        for (typed, name) in cases { #expect(RosterText.name(typed) == name, "\(typed)") }
    }

    @Test("a number as stored: plain, with an exponent, with a zero fraction; not a whole number refused")
    func storedNumbers() throws {
        let cases: [(String, String, Int, Bool)] = [
            ("13812345678", "13812345678", 11, true), ("1.3812345678E10", "13812345678", 11, false),
            ("3.21282198001021E+17", "321282198001021000", 15, false), ("3.21282198001021e+17", "321282198001021000", 15, false),
            ("12.0", "12", 2, false), ("12", "12", 2, true), ("0", "0", 0, true), ("1E3", "1000", 1, false),
        ]
        for (stored, digits, significant, plain) in cases {
            let n = try #require(StoredNumber(stored), "\(stored)")
            #expect(n.digits == digits && n.significantDigits == significant && n.plain == plain, "\(stored)")
        }
        for bad in ["12.5", "-3", "abc", "1e", "", "1.2.3", "1e-1", "1E999"] { #expect(StoredNumber(bad) == nil, "\(bad)") }
    }

    @Test("an ID number stored as a number is refused when it cannot be right, never taken altered")
    func idNumbers() {
        // Text: cleaned and taken.
        #expect(RosterCell.idNumber(" " + id.lowercased() + " ", storedAsNumber: false) == .success(id.uppercased()))
        // As Excel keeps it: 15 significant digits, the last three lost.
        let lost = String(id.prefix(15)) + "000"
        #expect(RosterCell.idNumber("3.21282198001021E+17", storedAsNumber: true) == .failure(CellRefusal(RosterCell.idLostDigits)))
        #expect(RosterCell.idNumber(lost, storedAsNumber: true) == .failure(CellRefusal(RosterCell.idLostDigits)))
        // All 18 digits written plainly by a program, the check digit agreeing: taken as it is.
        if !id.hasSuffix("X") && !id.hasSuffix("000") {
            #expect(RosterCell.idNumber(id, storedAsNumber: true) == .success(id))
        }
        // The same digits with a wrong last digit: it cannot be told whether they were typed so or lost.
        let wrong = String(id.prefix(17)) + (id.hasSuffix("1") ? "2" : "1")
        #expect(RosterCell.idNumber(wrong, storedAsNumber: true) == .failure(CellRefusal(RosterCell.idLostDigits)))
        // Too short to be an ID number at all.
        #expect(RosterCell.idNumber("12345", storedAsNumber: true) == .failure(CellRefusal(RosterCell.idAsNumber)))
        #expect(RosterCell.idNumber("1.5", storedAsNumber: true) == .failure(CellRefusal(RosterCell.idAsNumber)))
    }

    @Test("a phone stored as a number: an 11-digit mobile exact; a landline's lost 0 reported")
    func phones() {
        #expect(RosterCell.phone("13912345678", storedAsNumber: true) == .success("13912345678"))
        #expect(RosterCell.phone("1.3912345678E10", storedAsNumber: true) == .success("13912345678"))
        #expect(RosterCell.phone("52386123456", storedAsNumber: true) == .failure(CellRefusal(RosterCell.phoneLostZero)))
        #expect(RosterCell.phone("2586123456", storedAsNumber: true) == .failure(CellRefusal(RosterCell.phoneLostZero)))
        #expect(RosterCell.phone("12345", storedAsNumber: true) == .failure(CellRefusal(RosterCell.phoneAsNumber)))
        #expect(RosterCell.phone("１３９ １２３４ ５６７８", storedAsNumber: false) == .success("13912345678"))
        #expect(RosterCell.phone("0523-86123456", storedAsNumber: false) == .success("0523-86123456"))
    }

    @Test("codes stored as numbers: whole numbers taken; lost leading zeros found against the texts")
    func codes() {
        #expect(RosterCell.code("12", storedAsNumber: true, column: "户号") == .success("12"))
        #expect(RosterCell.code("321271002001001", storedAsNumber: true, column: "网格编码") == .success("321271002001001"))
        #expect(RosterCell.code("3.21271002001001E+14", storedAsNumber: true, column: "网格编码") == .success("321271002001001"))
        #expect(RosterCell.code("12.5", storedAsNumber: true, column: "户号") == .failure(CellRefusal("户号被存为数字且已被改变，请将该列设为文本后重新填写")))
        #expect(RosterCell.code(" ０012 ", storedAsNumber: false, column: "户号") == .success("0012"))
        // Shown with the format 0000: the reader gives the digits as shown, and they are taken.
        #expect(RosterCell.code("0077", storedAsNumber: true, column: "户号") == .success("0077"))
        #expect(RosterCell.zeroStripped("0012") == "12")
        #expect(RosterCell.zeroStripped("000") == "0")
        #expect(RosterCell.zeroStripped("12") == nil)
        #expect(RosterCell.zeroStripped("0A1") == nil)
    }

    @Test("the header is found below title and note rows, by the names people write")
    func header() throws {
        let rows: [[String]] = [
            ["XX社区第一网格居民花名册", "", ""],
            ["填表说明：带*的列必填；身份证号请设为文本"],
            ["序号", "名字", "身份证号码*（18位）", "手机号", "户号＊", "与户主关系", "楼　栋", "所属网格："],
            ["1", "张三", "321282198001021234", "", "", "", "", ""],
        ]
        let found = try #require(SheetHeader.find(rows, match: ResidentColumn.match))
        #expect(found.index == 2)
        #expect(found.columns[.name] == 1 && found.columns[.idNumber] == 2 && found.columns[.phone] == 3)
        #expect(found.columns[.household] == 4 && found.columns[.building] == 6 && found.columns[.grid] == 7)
        for typed in ["公民身份号码", "身份证号", "身份证号码", "公民身份号码*", "身份证号码（必填）", "身份证号码　"] {
            #expect(ResidentColumn.match(typed) == .idNumber, "\(typed)")
        }
        for typed in ["联系电话", "手机号", "电话", "手机号码(11位)"] { #expect(ResidentColumn.match(typed) == .phone, "\(typed)") }
        for typed in ["姓名", "名字", " 姓 名 *"] { #expect(ResidentColumn.match(typed) == .name, "\(typed)") }
        // A title that mentions a column name is not a header; nor is a sheet of notes.
        #expect(SheetHeader.find([["姓名"], ["说明"]], match: ResidentColumn.match) == nil)
        // Only the first searchRows rows are looked at.
        let deep = Array(repeating: ["标题"], count: SheetHeader.searchRows) + [["姓名", "身份证号"]]
        #expect(SheetHeader.find(deep, match: ResidentColumn.match) == nil)
    }

    @Test("a row with full-width and numeric cells: cleaned where certain, refused where not")
    func residentRow() throws {
        let header = ["姓名", "公民身份号码", "联系电话", "户号", "与户主关系", "楼栋", "网格"]
        let sheet = try ResidentSheet(header: header, today: today)
        let wide = id.map { c -> String in
            guard let v = c.asciiValue, c.isNumber || c == "X" else { return String(c) }
            return String(Character(Unicode.Scalar(UInt32(v) + 0xFEE0)!))
        }.joined()
        let ok = try sheet.parse(row: 5, cells: ["张\u{3000}三", wide, "13912345678", "0012", "户主", "1幢", "第一网格"], numeric: [2]).get()
        #expect(ok.name == "张三" && ok.citizenID.value == id && ok.phone == "13912345678" && ok.household == "0012")
        #expect(!ok.householdStoredAsNumber)
        let numberHousehold = try sheet.parse(row: 6, cells: ["李四", id, "", "12", "户主", "1幢", "第一网格"], numeric: [3]).get()
        #expect(numberHousehold.householdStoredAsNumber && numberHousehold.household == "12")
        guard case .failure(let bad) = sheet.parse(row: 7, cells: ["王五", "3.21282198001021E+17", "2586123456", "A1", "户主", "1幢", "第一网格"],
                                                   numeric: [1, 2], sheet: "第一网格") else {
            Issue.record("a row with an ID number stored as a number was taken")
            return
        }
        #expect(bad.problems.map(\.column) == ["公民身份号码", "联系电话"])
        #expect(bad.problems[0].message == RosterCell.idLostDigits && bad.problems[1].message == RosterCell.phoneLostZero)
        #expect(bad.problems.allSatisfy { $0.row == 7 && $0.sheet == "第一网格" })
    }
}
