import Foundation

/// One visit before it is written: when, what kind, why, where, and how it ended.
struct VisitPlan {
    enum Kind: String, CaseIterable {
        case inpatient, outpatient, emergency, telehealth
    }

    enum Status: String, CaseIterable {
        case finished
        case noShow = "no-show"
        case cancelled
    }

    var type: Kind
    var status: Status
    /// Seconds since 1970-01-01.
    var start: Int
    var end: Int
    var seen: Int?
    var diagnosis: Int
    var department: Int

    /// Emergency arrivals by hour of day: quiet before dawn, busiest late morning to evening.
    static let emergencyHours: [Double] = [
        2, 1.5, 1.2, 1, 1, 1.2, 2, 3, 4.5, 5.5, 6, 6, 6, 5.8, 5.6, 5.5, 5.6, 5.8, 5.5, 5, 4.5, 4, 3.2, 2.5,
    ]
    static let emergencyCumulative: [Double] = {
        var sum = 0.0
        return emergencyHours.map {
            sum += $0
            return sum
        }
    }()

    /// Readmission-prone admissions: heart failure, COPD exacerbation, pneumonia, with the chance of a
    /// planted readmission within 30 days. Older, sicker patients also come back by chance (about 9
    /// points for heart failure, 6 for COPD, 3 for pneumonia at 100,000 patients), so the measured
    /// rates land near 18%, 18% and 16%.
    static let readmissionChance: [Int: Double] = [
        EHRCatalog.diagnosis("I50.9"): 0.09, EHRCatalog.diagnosis("J44.1"): 0.12, EHRCatalog.diagnosis("J18.9"): 0.13,
    ]

    /// A person's visits over the two years, in time order.
    static func plans(for person: Person, using random: inout SeededRandom) -> [VisitPlan] {
        let base: Double = person.age < 18 ? 1.5 : person.age < 45 ? 1.3 : person.age < 65 ? 2.2 : 3.6
        let mean = base * (1 + 0.45 * Double(person.chronic.count)) * person.utilization
        let count = min(random.poisson(mean), 400)
        var plans: [VisitPlan] = []
        plans.reserveCapacity(count + 2)
        let inpatient = 0.035 + (person.age >= 65 ? 0.04 : 0) + 0.012 * Double(person.chronic.count)
        let emergency = 0.12 + (person.age < 5 ? 0.05 : 0)
        let telehealth = person.age >= 80 ? 0.08 : 0.18
        for _ in 0..<count {
            let draw = random.unit()
            let type: Kind =
                draw < inpatient
                ? .inpatient
                : draw < inpatient + emergency
                    ? .emergency : draw < inpatient + emergency + telehealth ? .telehealth : .outpatient
            plans.append(plan(type, for: person, using: &random))
        }
        // Some heart failure, COPD and pneumonia admissions come back within 30 days.
        for index in plans.indices where plans[index].type == .inpatient {
            let first = plans[index]
            guard let chance = readmissionChance[first.diagnosis], random.chance(chance) else { continue }
            let day = first.end / 86_400 + 1 + random.below(29)
            guard day <= EHRGenerator.lastDay - 20 else { continue }
            var again = plan(.inpatient, for: person, using: &random, on: day)
            again.diagnosis = first.diagnosis
            again.department = first.department
            plans.append(again)
        }
        if let death = person.deathDay { plans.removeAll { $0.start / 86_400 > death } }
        plans.sort { $0.start < $1.start }
        return plans
    }

    static func plan(_ type: Kind, for person: Person, using random: inout SeededRandom, on fixedDay: Int? = nil)
        -> VisitPlan
    {
        let day = fixedDay ?? self.day(for: type, using: &random)
        let hour: Int
        switch type {
        case .outpatient: hour = 8 + random.below(9)
        case .telehealth: hour = 8 + random.below(11)
        case .emergency: hour = random.pick(cumulative: emergencyCumulative)
        case .inpatient: hour = random.chance(0.6) ? random.pick(cumulative: emergencyCumulative) : 6 + random.below(6)
        }
        let minute = type == .outpatient || type == .telehealth ? 15 * random.below(4) : random.below(60)
        let start = day * 86_400 + hour * 3600 + minute * 60 + (type == .emergency ? random.below(60) : 0)
        let diagnosis = self.diagnosis(type, for: person, using: &random, day: day)
        let code = Codes.diagnoses[diagnosis].code
        let seconds: Double
        switch type {
        case .outpatient: seconds = random.logNormal(median: 40 * 60, sigma: 0.35)
        case .telehealth: seconds = random.logNormal(median: 18 * 60, sigma: 0.4)
        case .emergency: seconds = random.logNormal(median: 3.5 * 3600, sigma: 0.5)
        case .inpatient:
            let median = VisitPlan.readmissionChance[diagnosis] != nil ? 4.3 : code == "O80" ? 2.2 : 3.6
            seconds = random.logNormal(median: median * 86_400, sigma: 0.6)
        }
        var end = start + max(300, Int(seconds))
        if type == .inpatient {
            end = min(end, (EHRGenerator.lastDay + 1) * 86_400 - 3600)
        }
        var seen: Int?
        if type == .emergency {
            let month = CivilTime.civil(day).month
            let winter = month == 12 || month <= 2 ? 1.25 : 1.0
            let evening = hour >= 17 ? 1.3 : 1.0
            let wait = random.logNormal(median: 22 * 60 * winter * evening, sigma: 0.85)
            seen = start + min(Int(wait), (end - start) * 8 / 10)
        }
        var status = Status.finished
        if type == .outpatient || type == .telehealth {
            let draw = random.unit()
            let noShow = type == .outpatient ? 0.12 : 0.07
            let cancelled = type == .outpatient ? 0.04 : 0.03
            status = draw < noShow ? .noShow : draw < noShow + cancelled ? .cancelled : .finished
        } else if random.chance(type == .emergency ? 0.02 : 0.01) {
            // An emergency patient who left before being seen, or a planned admission called off:
            // cancelled, with no seen time, discharge, results or claim.
            status = .cancelled
            seen = nil
        }
        return VisitPlan(
            type: type, status: status, start: start, end: end, seen: seen, diagnosis: diagnosis,
            department: department(type, code: code, person: person, using: &random))
    }

    /// A day in the data, weighted: winter busier (most for emergencies and admissions), clinics closed
    /// most weekends, admissions fewer on weekends.
    static func day(for type: Kind, using random: inout SeededRandom) -> Int {
        let last = type == .inpatient ? EHRCatalog.days - 15 : EHRCatalog.days
        while true {
            let offset = random.below(last)
            let day = EHRGenerator.firstDay + offset
            let dayOfYear = Double(offset % 365)
            let amplitude = type == .emergency || type == .inpatient ? 0.25 : 0.08
            let season = 1 + amplitude * cos(2 * Double.pi * (dayOfYear - 15) / 365.25)
            let weekday = (day + 4) % 7  // 0 = Sunday
            let weekend = weekday == 0 || weekday == 6
            let week: Double =
                switch type {
                case .outpatient, .telehealth: weekend ? 0.1 : 1
                case .emergency: weekday == 1 ? 1.1 : 1
                case .inpatient: weekend ? 0.75 : 1
                }
            if random.unit() * 1.4 < season * week { return day }
        }
    }

    static func diagnosis(_ type: Kind, for person: Person, using random: inout SeededRandom, day: Int) -> Int {
        let month = CivilTime.civil(day).month
        let winter = month == 12 || month <= 3
        func code(_ text: String) -> Int { EHRCatalog.diagnosis(text) }
        var options: [(Int, Double)] = []
        switch type {
        case .outpatient, .telehealth:
            if !person.chronic.isEmpty, random.chance(0.6) { return person.chronic[random.below(person.chronic.count)] }
            if person.age >= 18, type == .outpatient, random.chance(0.3) { return code("Z00.00") }
            options = [
                (code("J06.9"), winter ? 0.5 : 0.3), (code("M54.50"), 0.25), (code("N39.0"), 0.15),
                (code("R51.9"), 0.1), (code("U07.1"), winter ? 0.12 : 0.03),
            ]
        case .emergency:
            options = [
                (code("R07.9"), 0.2), (code("J06.9"), winter ? 0.2 : 0.1), (code("N39.0"), 0.1),
                (code("M54.50"), 0.1), (code("R51.9"), 0.1), (code("J18.9"), winter ? 0.12 : 0.05),
                (code("U07.1"), winter ? 0.08 : 0.02), (code("A41.9"), 0.03),
            ]
            if person.age >= 65 { options.append((code("S72.001A"), 0.05)) }
            if person.age >= 40 { options.append((code("I21.4"), 0.03)) }
            if person.has(EHRCatalog.copd) { options.append((code("J44.1"), 0.25)) }
            if person.has(EHRCatalog.heartFailure) { options.append((code("I50.9"), 0.2)) }
        case .inpatient:
            options = [
                (code("J18.9"), winter ? 0.3 : 0.15), (code("A41.9"), 0.12), (code("N39.0"), 0.06),
                (code("U07.1"), winter ? 0.06 : 0.02),
            ]
            if person.age >= 40 { options.append((code("I21.4"), 0.08)) }
            if person.age >= 50 { options.append((code("I63.9"), 0.06)) }
            if person.age >= 65 { options.append((code("S72.001A"), 0.06)) }
            if person.sex == .female, (18...44).contains(person.age) { options.append((code("O80"), 0.6)) }
            if person.has(EHRCatalog.heartFailure) { options.append((code("I50.9"), 0.7)) }
            if person.has(EHRCatalog.copd) { options.append((code("J44.1"), 0.5)) }
        }
        return Weighted(options).pick(&random)
    }

    static func department(_ type: Kind, code: String, person: Person, using random: inout SeededRandom) -> Int {
        switch type {
        case .emergency:
            return EHRCatalog.emergency
        case .inpatient:
            switch code {
            case "I50.9", "I21.4", "I48.91": return EHRCatalog.cardiologyWard
            case "J44.1", "U07.1": return EHRCatalog.pulmonologyWard
            case "J18.9": return random.chance(0.5) ? EHRCatalog.pulmonologyWard : EHRCatalog.medicineWard
            case "A41.9": return random.chance(0.4) ? EHRCatalog.icu : EHRCatalog.medicineWard
            case "S72.001A": return EHRCatalog.orthopedics
            case "O80": return EHRCatalog.obstetrics
            case "I63.9": return EHRCatalog.neurology
            default: return EHRCatalog.medicineWard
            }
        case .outpatient, .telehealth:
            let primary = EHRCatalog.primaryCare[person.zip % 2]
            switch code {
            case "E11.9", "E11.65", "E03.9": return random.chance(0.4) ? EHRCatalog.endocrinologyClinic : primary
            case "I50.9", "I48.91", "I25.10": return random.chance(0.4) ? EHRCatalog.cardiologyClinic : primary
            case "J44.9", "J45.909": return random.chance(0.35) ? EHRCatalog.pulmonologyClinic : primary
            default: return primary
            }
        }
    }
}
