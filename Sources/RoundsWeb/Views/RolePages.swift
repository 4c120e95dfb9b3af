import Foundation
import RoundsContent
import RoundsCore

struct RolesPage {
    struct Row {
        let id, name, summary: String
        let readiness: Int
        let target: Bool
    }
    let roles: [Row]
}

struct RolePage {
    struct Stage {
        let number: Int
        let name, minutes, focus: String
    }
    struct Market {
        let statement, asOf, retrieved, sourceTitle, sourceURL: String
    }
    struct Skill {
        let name, weight, mastery, practised, headroom: String
    }
    struct Suggestion {
        let kind, title, href, why: String
    }

    let id, name, summary: String
    let isTarget: Bool
    let csrf: String
    let stages: [Stage]
    let market: [Market]
    let hasMarket: Bool
    let readiness: Int
    let chart: String
    let skills: [Skill]
    let next: [Suggestion]
    let hasNext: Bool

    init(_ report: RoleReport, library: ContentLibrary, isTarget: Bool, csrf: String) {
        let role = report.role
        id = role.id
        name = role.name
        summary = role.summary
        self.isTarget = isTarget
        self.csrf = csrf
        stages = role.stages.enumerated().map { index, stage in
            Stage(
                number: index + 1, name: stage.name, minutes: stage.minutes.map { "\($0) min" } ?? "",
                focus: stage.focus)
        }
        market = role.market.map {
            Market(
                statement: $0.statement, asOf: $0.asOf, retrieved: $0.retrieved, sourceTitle: $0.source.title,
                sourceURL: $0.source.url)
        }
        hasMarket = !market.isEmpty
        readiness = report.readiness
        chart = Charts.bars(
            report.skills.map { (label: $0.name, value: $0.mastery) },
            title: "Your mastery of the role's skills, in percent")
        skills = report.skills.map {
            Skill(
                name: $0.name, weight: String(format: "%g", $0.weight),
                mastery: "\(Int(($0.mastery * 100).rounded()))%",
                practised: "\($0.practised) of \($0.available)", headroom: "\($0.headroom)")
        }
        next = report.next.map { item in
            Suggestion(
                kind: item.kind.rawValue, title: item.title,
                href: item.kind == .lab ? "/labs/\(item.id)" : "/questions/\(item.id)", why: item.why)
        }
        hasNext = !next.isEmpty
    }
}
