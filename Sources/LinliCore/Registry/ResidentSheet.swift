/// A problem with one cell of an imported file, as the report shows it: row number as the spreadsheet
/// shows it, the column's Chinese header, and the reason in Chinese.
public struct RowProblem: Sendable, Equatable, Codable {
    public var row: Int
    public var column: String
    public var message: String
    /// The worksheet, when the rows of more than one were imported.
    public var sheet: String?

    public init(row: Int, column: String, message: String, sheet: String? = nil) {
        self.row = row
        self.column = column
        self.message = message
        self.sheet = sheet
    }
}

/// Everything wrong with one row.
public struct RowProblems: Error, Sendable, Equatable {
    public var problems: [RowProblem]
}

/// The columns of the residents' sheet (居民信息表), by their Chinese headers. Import matches headers
/// by these names or their common variants; export writes them in this order.
public enum ResidentColumn: String, CaseIterable, Sendable {
    case name = "姓名"
    case idNumber = "公民身份号码"
    case sex = "性别"
    case birthDate = "出生日期"
    case phone = "联系电话"
    case household = "户号"
    case room = "房号"
    case relation = "与户主关系"
    case building = "楼栋"
    case grid = "网格"
    case gridCode = "网格编码"
    case residenceStatus = "户籍类型"
    case tags = "标签"
    case lifeStatus = "人员状态"

    /// Other headers that mean the same column.
    var aliases: [String] {
        switch self {
        case .name: return ["居民姓名", "名字", "姓名名称", "户主姓名及成员姓名"]
        case .idNumber: return ["身份证号", "身份证号码", "身份证", "公民身份证号码", "公民身份证号", "证件号码", "身份证件号码", "居民身份证号码"]
        case .sex: return []
        case .birthDate: return ["出生年月日", "生日"]
        case .phone: return ["电话", "电话号码", "手机", "手机号", "手机号码", "联系方式", "联系电话号码", "移动电话"]
        case .household: return ["户编号", "户口编号"]
        case .room: return ["门牌号", "室号", "门牌/室号"]
        case .relation: return ["关系", "与户主的关系"]
        case .building: return ["楼栋名称", "楼号", "楼幢"]
        case .grid: return ["所属网格", "网格名称", "网格名"]
        case .gridCode: return ["网格代码"]
        case .residenceStatus: return ["人口类型", "户籍性质", "居住类型"]
        case .tags: return ["人群标签", "类别标签"]
        case .lifeStatus: return ["状态"]
        }
    }

    /// What the template says of the column.
    public var note: String {
        switch self {
        case .name: return "必填，1–30个字"
        case .idNumber: return "必填，18位，末位校验码按 GB 11643 核对"
        case .sex: return "可空；填写时须与身份证号一致（男/女）"
        case .birthDate: return "可空；填写时须与身份证号一致（如 1980-01-02）"
        case .phone: return "可空；11位手机号或带区号的固定电话"
        case .household: return "必填；同一户的成员户号相同"
        case .room: return "可空；如 2单元301室"
        case .relation: return "必填：" + HouseholdRelation.allCases.map(\.label).joined(separator: "、")
        case .building: return "必填；须是该网格中已登记的楼栋"
        case .grid: return "网格名称（与网格编码二选一）"
        case .gridCode: return "15位网格编码（与网格名称二选一）"
        case .residenceStatus: return "可空（默认户籍）：户籍、常住、流动"
        case .tags: return "可空，用顿号分隔：" + ResidentTag.handTyped.map(\.label).joined(separator: "、")
        case .lifeStatus: return "可空（默认在册）：在册、已死亡、已迁出"
        }
    }

    public static let required: [ResidentColumn] = [.name, .idNumber, .household, .relation, .building]

    /// A header cell as typed: full-width forms, spaces of any kind, a required-field star and a
    /// parenthesised note are ignored (`SheetHeader.normalize`).
    public static func normalizeHeader(_ header: String) -> String { SheetHeader.normalize(header) }

    public static func match(_ header: String) -> ResidentColumn? {
        let h = normalizeHeader(header)
        return allCases.first { $0.rawValue == h || $0.aliases.contains(h) }
    }
}

/// A resident row after every rule that needs no database: the ID number's check character, sex and
/// birth date against it, the phone number, the enumerations.
public struct ResidentSheetRow: Sendable, Equatable {
    public var row: Int
    public var name: String
    public var citizenID: CitizenID
    public var phone: String?
    public var household: String
    public var room: String
    public var relation: HouseholdRelation
    public var building: String
    public var grid: String
    public var gridCode: String?
    public var residenceStatus: ResidenceStatus
    public var tags: [ResidentTag]
    public var lifeStatus: LifeStatus
    /// The worksheet of the row, when a workbook's rows come from more than one.
    public var sheet: String? = nil
    /// The 户号 was a number in the file: its leading zeros may have been lost (checked against the others).
    public var householdStoredAsNumber = false
}

/// The residents' sheet: header matching and the checks of one row.
public struct ResidentSheet: Sendable {
    public let columns: [ResidentColumn: Int]
    public let today: CivilDate

    /// Which column of the header row holds what; throws the list of required columns missing.
    public init(header: [String], today: CivilDate) throws(MissingColumns) {
        var map: [ResidentColumn: Int] = [:]
        for (i, cell) in header.enumerated() {
            if let c = ResidentColumn.match(cell), map[c] == nil { map[c] = i }
        }
        var missing = ResidentColumn.required.filter { map[$0] == nil }.map(\.rawValue)
        if map[.grid] == nil && map[.gridCode] == nil { missing.append("网格（或网格编码）") }
        guard missing.isEmpty else { throw MissingColumns(names: missing) }
        columns = map
        self.today = today
    }

    public struct MissingColumns: Error, Sendable { public var names: [String] }

    public static let defaultRoom = "未登记"

    /// Checks one row; every problem of the row is reported, not only the first. `numeric` lists the
    /// columns the spreadsheet stored as numbers: an ID number, phone or code among them goes by the
    /// rules of `RosterCell` (never taken altered). Full-width forms and stray spaces are cleaned where
    /// the meaning is certain (`RosterText`).
    public func parse(row: Int, cells: [String], numeric: [Int] = [], sheet: String? = nil) -> Result<ResidentSheetRow, RowProblems> {
        var problems: [RowProblem] = []
        func raw(_ c: ResidentColumn) -> String {
            guard let i = columns[c], i < cells.count else { return "" }
            return cells[i]
        }
        func isNumber(_ c: ResidentColumn) -> Bool { columns[c].map { numeric.contains($0) } ?? false }
        func cell(_ c: ResidentColumn) -> String {
            switch c {
            case .name: return RosterText.name(raw(c))
            case .idNumber, .phone, .household, .gridCode: return RosterText.code(raw(c))
            case .sex, .birthDate, .relation, .residenceStatus, .lifeStatus: return RosterText.trimmed(RosterText.halfWidth(raw(c)))
            default: return RosterText.trimmed(raw(c))
            }
        }
        func fail(_ c: ResidentColumn, _ message: String) {
            problems.append(RowProblem(row: row, column: c.rawValue, message: message, sheet: sheet))
        }
        /// A column whose cell may have been stored as a number: its cleaned text, or the refusal.
        func checked(_ c: ResidentColumn, _ rule: (String, Bool) -> Result<String, CellRefusal>) -> String? {
            switch rule(raw(c), isNumber(c)) {
            case .success(let v): return v
            case .failure(let r): fail(c, r.message); return nil
            }
        }

        var name = ""
        switch ResidentRules.checkName(cell(.name)) {
        case .success(let n): name = n
        case .failure(let e): fail(.name, e.message)
        }
        var citizenID: CitizenID?
        if let text = checked(.idNumber, RosterCell.idNumber) {
            do { citizenID = try CitizenID(text, today: today) } catch { fail(.idNumber, error.message) }
        }
        if let id = citizenID {
            let sex = cell(.sex)
            if !sex.isEmpty {
                if let s = ResidentSheet.sex(sex) {
                    if s != id.sex { fail(.sex, "性别“\(sex)”与公民身份号码不符（按号码应为\(id.sex.label)）") }
                } else {
                    fail(.sex, "性别应为“男”或“女”")
                }
            }
            let birth = cell(.birthDate)
            if !birth.isEmpty {
                if let d = ResidentSheet.date(birth) {
                    if d != id.birthDate { fail(.birthDate, "出生日期\(d)与公民身份号码不符（按号码应为\(id.birthDate)）") }
                } else {
                    fail(.birthDate, "出生日期“\(birth)”无法识别（应如 1980-01-02）")
                }
            }
        }
        var phone: String?
        let rawPhone = checked(.phone, RosterCell.phone) ?? ""
        if !rawPhone.isEmpty {
            switch ResidentRules.checkPhone(rawPhone) {
            case .success(let p): phone = p
            case .failure(let e): fail(.phone, e.message)
            }
        }
        let householdCell = checked(.household) { RosterCell.code($0, storedAsNumber: $1, column: "户号") }
        let household = householdCell ?? ""
        if householdCell == nil {}
        else if household.isEmpty { fail(.household, "请填写户号") }
        else if household.count > 30 || !household.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            fail(.household, "户号应为1至30位字母、数字或“-”")
        }
        var room = cell(.room)
        if room.isEmpty { room = ResidentSheet.defaultRoom }
        if room.count > 40 { fail(.room, "房号不能超过40个字") }
        let relationText = cell(.relation)
        let relation = HouseholdRelation.allCases.first { $0.label == relationText || $0.rawValue == relationText }
            ?? (relationText == "本人" ? .head : nil)
        if relation == nil {
            fail(.relation, relationText.isEmpty ? "请填写与户主关系"
                 : "与户主关系“\(relationText)”无效，可选：\(HouseholdRelation.allCases.map(\.label).joined(separator: "、"))")
        }
        let building = cell(.building)
        if building.isEmpty { fail(.building, "请填写楼栋") } else if building.count > 60 { fail(.building, "楼栋名称不能超过60个字") }
        let grid = cell(.grid), gridCode = checked(.gridCode) { RosterCell.code($0, storedAsNumber: $1, column: "网格编码") } ?? ""
        if grid.isEmpty && gridCode.isEmpty { fail(columns[.grid] != nil ? .grid : .gridCode, "请填写网格") }
        if !gridCode.isEmpty && (gridCode.count != 15 || !gridCode.allSatisfy({ $0.isASCII && $0.isNumber })) {
            fail(.gridCode, "网格编码应为15位数字")
        }
        let statusText = cell(.residenceStatus)
        let status = statusText.isEmpty ? .registered
            : ResidenceStatus.allCases.first { $0.label == statusText || $0.label + "人口" == statusText || $0.rawValue == statusText }
        if status == nil { fail(.residenceStatus, "户籍类型“\(statusText)”无效，可选：户籍、常住、流动") }
        var tags: [ResidentTag] = []
        for t in ResidentSheet.splitTags(cell(.tags)) {
            guard let tag = ResidentTag.allCases.first(where: { $0.label == t || $0.rawValue == t }) else {
                fail(.tags, "未知标签“\(t)”，可选：\(ResidentTag.handTyped.map(\.label).joined(separator: "、"))")
                continue
            }
            // 60岁以上/80岁以上 follow from the birth date, 失业人员/残疾人 from their registers: accepted (an export
            // re-imports) and not stored.
            if tag.isHandTyped && !tags.contains(tag) { tags.append(tag) }
        }
        let lifeText = cell(.lifeStatus)
        let life = lifeText.isEmpty ? .active : LifeStatus.allCases.first { $0.label == lifeText || $0.rawValue == lifeText }
        if life == nil { fail(.lifeStatus, "人员状态“\(lifeText)”无效，可选：在册、已死亡、已迁出") }

        guard problems.isEmpty, let citizenID, let relation, let status, let life else { return .failure(RowProblems(problems: problems)) }
        return .success(ResidentSheetRow(row: row, name: name, citizenID: citizenID, phone: phone, household: household, room: room,
                                         relation: relation, building: building, grid: grid, gridCode: gridCode.isEmpty ? nil : gridCode,
                                         residenceStatus: status, tags: ResidentTag.recorded.filter(tags.contains), lifeStatus: life,
                                         sheet: sheet, householdStoredAsNumber: isNumber(.household)))
    }

    static func sex(_ s: String) -> Sex? {
        switch s.lowercased() {
        case "男", "男性", "male", "m": return .male
        case "女", "女性", "female", "f": return .female
        default: return nil
        }
    }

    static func splitTags(_ s: String) -> [String] {
        s.split(whereSeparator: { "、,，;；/ ".contains($0) }).map(String.init).filter { !$0.isEmpty }
    }

    /// A date as people type it (1980-01-02, 1980/1/2, 1980.1.2, 19800102, 1980年1月2日) or as Excel
    /// stores it (days since 1899-12-30).
    public static func date(_ s: String) -> CivilDate? {
        let t = s.trimmingASCIISpaces()
        if let d = CivilDate(t) { return d }
        if t.count == 8, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return CivilDate(String(t.prefix(4)) + "-" + String(t.dropFirst(4).prefix(2)) + "-" + String(t.suffix(2)))
        }
        if let serial = Double(t), serial >= 1, serial < 100_000, serial == serial.rounded() {
            return CivilDate(year: 1899, month: 12, day: 30)!.adding(days: Int(serial))
        }
        let parts = t.split(whereSeparator: { "-/.年月日".contains($0) })
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }
}
