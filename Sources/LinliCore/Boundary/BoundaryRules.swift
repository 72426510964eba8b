import Foundation

/// 区划调整: a change order (区划调整令) merges communities or grids into one new division, splits a community into
/// new ones (its buildings assigned), or moves buildings from one community or grid to another grid. Pure rules; the
/// facts they need (levels, streets, names in use, the buildings of a split community) come in a `BoundaryFacts`.

/// What an order does.
public enum BoundaryKind: String, Codable, Sendable, CaseIterable {
    /// 合并: two or more communities (or grids) become one new division.
    case merge
    /// 拆分: one community becomes two or more new ones, each building assigned to one.
    case split
    /// 调整: buildings move from one community or grid into another grid; no division is retired.
    case move

    public var label: String {
        switch self {
        case .merge: return "合并"
        case .split: return "拆分"
        case .move: return "调整楼栋"
        }
    }
}

/// An order's state: drafted, approved (with its document), applied on its effective date, or cancelled.
public enum BoundaryState: String, Codable, Sendable, CaseIterable {
    case draft, approved, applied, cancelled

    public var label: String {
        switch self {
        case .draft: return "草拟"
        case .approved: return "已批准"
        case .applied: return "已实施"
        case .cancelled: return "已撤销"
        }
    }
}

/// An order as typed.
public struct BoundaryInput: Sendable, Equatable {
    public var kind: BoundaryKind?
    /// The divisions changed: the merged ones, the one split, or the one buildings leave (move).
    public var sources: [String]
    /// Names of the new divisions: one for a merge, two or more for a split; none for a move.
    public var newNames: [String]
    /// The street that keeps a merge of communities from different streets (its 9-digit code + "000").
    public var receivingStreet: String?
    /// A move's destination grid.
    public var target: String?
    /// A split's buildings: building id → index into `newNames`; a move's buildings: the ids (values ignored).
    public var buildings: [UUID: Int]
    public var effectiveOn: CivilDate?
    public var documentNo: String?
    public var documentTitle: String?

    public init(kind: BoundaryKind?, sources: [String], newNames: [String] = [], receivingStreet: String? = nil, target: String? = nil,
                buildings: [UUID: Int] = [:], effectiveOn: CivilDate?, documentNo: String? = nil, documentTitle: String? = nil) {
        self.kind = kind; self.sources = sources; self.newNames = newNames; self.receivingStreet = receivingStreet; self.target = target
        self.buildings = buildings; self.effectiveOn = effectiveOn; self.documentNo = documentNo; self.documentTitle = documentTitle
    }
}

/// What the rules need to know of the district, read by the data layer.
public struct BoundaryFacts: Sendable, Equatable {
    /// Each source's level, for the sources that exist (in the caller's area, not retired).
    public var levels: [String: DivisionLevel]
    /// Names of the live divisions under the receiving parent (street for communities, community for grids),
    /// the sources excluded (a merged community's name may pass to its successor).
    public var namesInUse: Set<String>
    /// The buildings of the source (split or move).
    public var sourceBuildings: Set<UUID>
    /// The target's level, when it exists.
    public var targetLevel: DivisionLevel?

    public init(levels: [String: DivisionLevel], namesInUse: Set<String> = [], sourceBuildings: Set<UUID> = [], targetLevel: DivisionLevel? = nil) {
        self.levels = levels; self.namesInUse = namesInUse; self.sourceBuildings = sourceBuildings; self.targetLevel = targetLevel
    }
}

public enum BoundaryRules {
    public static let maxName = 30
    public static let maxDocument = 100

    /// The street a community or grid code lies in (`3212710020000` style: 9 digits + "000").
    public static func street(of code: String) -> String { String(code.prefix(9)) + "000" }
    /// The community a grid or community code lies in.
    public static func community(of code: String) -> String { String(code.prefix(12)) }

    /// Every field at fault in `input`, given `facts`, on `today` (an order's effective date may not be in the past).
    public static func check(_ input: BoundaryInput, facts: BoundaryFacts, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        guard let kind = input.kind else { return [FieldError("kind", "请选择调整方式：合并、拆分或调整楼栋")] + dates(input, today: today) }
        let sources = input.sources.map { $0.trimmingCharacters(in: .whitespaces) }
        if Set(sources).count != sources.count { e.append(FieldError("sources", "同一区划不能重复列出")) }
        if let missing = sources.first(where: { facts.levels[$0] == nil }) {
            e.append(FieldError("sources", "本辖区没有区划 \(missing)（或已撤销）"))
        }
        let levels = Set(sources.compactMap { facts.levels[$0] })
        switch kind {
        case .merge:
            if sources.count < 2 { e.append(FieldError("sources", "合并至少需要两个村/社区或网格")) }
            if levels.count > 1 { e.append(FieldError("sources", "合并的区划须属同一层级")) }
            else if let l = levels.first, l != .community && l != .grid { e.append(FieldError("sources", "只能合并村/社区或网格")) }
            let streets = Set(sources.map(street(of:)))
            if levels == [.grid], Set(sources.map(community(of:))).count > 1 {
                e.append(FieldError("sources", "合并的网格须属同一村/社区"))
            }
            if levels == [.community], streets.count > 1 {
                if let r = input.receivingStreet?.trimmingCharacters(in: .whitespaces), !r.isEmpty {
                    if !streets.contains(r) { e.append(FieldError("receiving_street", "接收的镇/街道须是被合并区划所属的镇/街道之一")) }
                } else {
                    e.append(FieldError("receiving_street", "合并的村/社区分属不同镇/街道，请指明由哪个镇/街道接收"))
                }
            }
            if input.newNames.count != 1 { e.append(FieldError("new_names", "合并后的区划须有一个名称")) }
        case .split:
            if sources.count != 1 { e.append(FieldError("sources", "拆分只针对一个村/社区")) }
            else if let l = levels.first, l != .community { e.append(FieldError("sources", "只能拆分村/社区")) }
            if input.newNames.count < 2 { e.append(FieldError("new_names", "拆分后至少有两个村/社区，请逐一命名")) }
            let unassigned = facts.sourceBuildings.subtracting(input.buildings.keys)
            // One message at the buildings, the first that applies.
            if !unassigned.isEmpty { e.append(FieldError("buildings", "还有\(unassigned.count)幢楼未分配到拆分后的村/社区")) }
            else if input.buildings.keys.contains(where: { !facts.sourceBuildings.contains($0) }) {
                e.append(FieldError("buildings", "分配的楼栋须属于被拆分的村/社区"))
            } else if input.buildings.values.contains(where: { !input.newNames.indices.contains($0) }) {
                e.append(FieldError("buildings", "楼栋须分配给拆分后的某个村/社区"))
            } else if input.newNames.count >= 2, Set(input.buildings.values).count < input.newNames.count {
                e.append(FieldError("buildings", "拆分后的每个村/社区至少分得一幢楼"))
            }
        case .move:
            if sources.count != 1 { e.append(FieldError("sources", "调整楼栋须指明一个迁出的村/社区或网格")) }
            else if let l = levels.first, l != .community && l != .grid { e.append(FieldError("sources", "只能从村/社区或网格迁出楼栋")) }
            if !input.newNames.isEmpty { e.append(FieldError("new_names", "调整楼栋不设新区划")) }
            if let t = input.target?.trimmingCharacters(in: .whitespaces), !t.isEmpty {
                if facts.targetLevel != .grid { e.append(FieldError("target", "迁入的网格不存在或不在本辖区")) }
                else if sources.first.map({ t.hasPrefix($0) || $0 == t }) == true && levels.first == .grid {
                    e.append(FieldError("target", "迁入的网格不能是迁出的网格"))
                }
            } else {
                e.append(FieldError("target", "请指明迁入的网格"))
            }
            if input.buildings.isEmpty { e.append(FieldError("buildings", "请选择要调整的楼栋")) }
            else if input.buildings.keys.contains(where: { !facts.sourceBuildings.contains($0) }) {
                e.append(FieldError("buildings", "调整的楼栋须属于迁出的区划"))
            }
        }
        if kind != .move { e += names(input.newNames, inUse: facts.namesInUse) }
        return e + dates(input, today: today)
    }

    /// New names: not empty, not too long, not repeated, not a live division's name under the same parent.
    static func names(_ names: [String], inUse: Set<String>) -> [FieldError] {
        var e: [FieldError] = []
        let trimmed = names.map { $0.trimmingCharacters(in: .whitespaces) }
        if trimmed.contains(where: \.isEmpty) { e.append(FieldError("new_names", "新区划的名称不能为空")) }
        if trimmed.contains(where: { $0.count > maxName }) { e.append(FieldError("new_names", "新区划的名称最多\(maxName)个字")) }
        if Set(trimmed).count != trimmed.count { e.append(FieldError("new_names", "新区划的名称不能重复")) }
        if let taken = trimmed.first(where: { inUse.contains($0) }) { e.append(FieldError("new_names", "同一镇/街道已有“\(taken)”")) }
        return e
    }

    /// The effective date (not before `today`) and the approving document (文号 and title).
    static func dates(_ input: BoundaryInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if let d = input.effectiveOn {
            if d < today { e.append(FieldError("effective_on", "生效日期不能早于今天（\(today)）")) }
        } else {
            e.append(FieldError("effective_on", "请填写生效日期（YYYY-MM-DD）"))
        }
        e += document(input)
        return e
    }

    static func document(_ input: BoundaryInput) -> [FieldError] {
        var e: [FieldError] = []
        for (value, field, label) in [(input.documentNo, "document_no", "批准文号"), (input.documentTitle, "document_title", "批准文件标题")] {
            let t = value?.trimmingCharacters(in: .whitespaces) ?? ""
            if t.isEmpty { e.append(FieldError(field, "请填写\(label)")) }
            else if t.count > maxDocument { e.append(FieldError(field, "\(label)最多\(maxDocument)个字")) }
        }
        return e
    }

    /// Approval checks the date again: an order approved after its effective date has passed must be re-dated.
    public static func checkApproval(effectiveOn: CivilDate, today: CivilDate) -> [FieldError] {
        effectiveOn < today ? [FieldError("effective_on", "生效日期（\(effectiveOn)）已过，请修改后再批准")] : []
    }

    /// An order may be applied once approved and due.
    public static func checkApply(state: BoundaryState, effectiveOn: CivilDate, today: CivilDate) -> FieldError? {
        if state != .approved { return FieldError("state", "只有已批准的调整令可以实施（现为“\(state.label)”）") }
        if effectiveOn > today { return FieldError("effective_on", "调整令\(effectiveOn)生效，未到实施日期") }
        return nil
    }

    /// The codes of `count` new children of `parent` (a street's communities or a community's grids): the next free
    /// numbers above every code ever used under it (`used`, retired ones included), so a retired code is never reused.
    /// Urban communities take 001–199 and villages 2xx, as the statistical codes do.
    public static func newCodes(under parent: DivisionCode, count: Int, used: Set<String>, kind: CommunityKind? = nil) -> [DivisionCode] {
        let prefix = parent.scopePrefix
        let numbers = used.filter { $0.hasPrefix(prefix) && $0.count == (parent.level == .community ? 15 : 12) && $0 != parent.value }
            .compactMap { Int($0.suffix(3)) }
            .filter { parent.level != .street || (kind == .village ? $0 >= 200 : $0 < 200) }
        var next = (numbers.max() ?? (parent.level == .street && kind == .village ? 200 : 0)) + 1
        if parent.level == .street && kind == .village { next -= 200 }
        var codes: [DivisionCode] = []
        while codes.count < count, let c = parent.child(next, kind: kind) {
            codes.append(c)
            next += 1
        }
        return codes
    }
}
