import Foundation
import GRDBSQLite

/// Visits and what each records: encounters, conditions, observations, medications, procedures,
/// claims and bed days.
extension Run {
    mutating func writeVisits(for person: Person, payers: [(payer: Int, from: Int)]) throws {
        var plans = VisitPlan.plans(for: person, using: &random)
        if let target = options.visits { plans = Array(plans.prefix(target - visitCount)) }
        visitCount += plans.count

        // Chronic conditions: most began before the data starts; the rest at the first finished visit.
        var firstFinished: (id: Int64, day: Int)?
        var encounterIDs: [Int64] = []
        encounterIDs.reserveCapacity(plans.count)
        for plan in plans {
            next.encounter += 1
            let encounterID = id(next.encounter)
            encounterIDs.append(encounterID)
            let payer = payers.last { $0.from <= plan.start / 86_400 }?.payer ?? payers[0].payer
            try writeEncounter(plan, id: encounterID, person: person, payer: payer)
            if plan.status == .finished, firstFinished == nil { firstFinished = (encounterID, plan.start / 86_400) }
        }
        for code in person.chronic {
            // Planted: now and then a chronic diagnosis is entered twice (re-keyed at a later visit),
            // so a count of condition rows is not a count of patients.
            for copy in 0..<(random.chance(0.03) ? 2 : 1) {
                next.condition += 1
                conditions.int(1, id(next.condition))
                conditions.int(2, person.id)
                if let first = firstFinished, copy == 1 || random.chance(0.3) {
                    conditions.int(3, first.id)
                    conditions.date(5, day: first.day)
                } else {
                    conditions.null(3)
                    conditions.date(
                        5, day: max(person.birthDay + 365, EHRGenerator.firstDay - 30 - random.below(3000)))
                }
                conditions.text(4, EHRCatalog.diagnosisText[code])
                conditions.null(6)
                try conditions.step()
            }
        }
    }

    mutating func writeEncounter(_ plan: VisitPlan, id encounterID: Int64, person: Person, payer: Int) throws {
        let department = plan.department
        encounters.int(1, encounterID)
        encounters.int(2, person.id)
        // The attending is missing at random: far more often for emergency visits.
        // Some visits are covered by a provider from another department (a hospitalist, a locum).
        let covering = random.chance(0.03)
        let providers = providersByDepartment[
            covering ? random.below(providersByDepartment.count) : department]
        if providers.isEmpty || random.chance(plan.type == .emergency ? 0.15 : 0.01) {
            encounters.null(3)
        } else {
            encounters.int(3, providers[random.below(providers.count)])
        }
        encounters.int(4, department)
        encounters.int(5, payer)
        encounters.text(6, EHRCatalog.typeText[VisitPlan.Kind.allCases.firstIndex(of: plan.type)!])
        encounters.text(7, EHRCatalog.statusText[VisitPlan.Status.allCases.firstIndex(of: plan.status)!])
        encounters.time(8, seconds: plan.start)
        if plan.status == .finished {
            // Planted: a few discharges were keyed before the admission.
            if random.chance(0.001) {
                encounters.time(9, seconds: plan.start - (plan.end - plan.start))
            } else if random.chance(0.0005) {
                // Planted: a discharge keyed with the admission's own time, a stay of zero length.
                encounters.time(9, seconds: plan.start)
            } else {
                encounters.time(9, seconds: plan.end)
            }
        } else {
            encounters.null(9)
        }
        if let seen = plan.seen { encounters.time(10, seconds: seen) } else { encounters.null(10) }
        encounters.text(11, EHRCatalog.diagnosisText[plan.diagnosis])
        try encounters.step()
        guard plan.status == .finished else { return }

        let diagnosis = Codes.diagnoses[plan.diagnosis]
        if !diagnosis.chronic && diagnosis.code != "Z00.00" {
            next.condition += 1
            conditions.int(1, id(next.condition))
            conditions.int(2, person.id)
            conditions.int(3, encounterID)
            conditions.text(4, EHRCatalog.diagnosisText[plan.diagnosis])
            conditions.date(5, day: plan.start / 86_400)
            conditions.date(6, day: plan.end / 86_400 + 7 + random.below(24))
            try conditions.step()
        }
        try writeLabs(plan, encounterID: encounterID, person: person)
        try writeMedications(plan, encounterID: encounterID, person: person)
        let billedProcedures = try writeProcedures(plan, encounterID: encounterID, person: person)
        try writeClaim(plan, encounterID: encounterID, person: person, payer: payer, lines: billedProcedures)
        if plan.type == .inpatient { try writeBedDays(plan, encounterID: encounterID) }
    }

    mutating func writeLabs(_ plan: VisitPlan, encounterID: Int64, person: Person) throws {
        var tests: [Int] = []
        let acute = plan.type == .emergency || plan.type == .inpatient
        if acute {
            if plan.type == .inpatient || random.chance(0.7) {
                tests += [EHRCatalog.glucose, EHRCatalog.creatinine, EHRCatalog.potassium]
            }
            if plan.type == .inpatient || random.chance(0.5) {
                tests += [EHRCatalog.hemoglobin, EHRCatalog.leukocytes]
            }
            if person.has(EHRCatalog.heartFailure) && random.chance(0.7) { tests.append(EHRCatalog.bnp) }
        } else if plan.type == .outpatient {
            if person.isDiabetic ? random.chance(0.55) : (person.age >= 18 && random.chance(0.05)) {
                tests.append(EHRCatalog.hba1c)
            }
            if person.age >= 40 && random.chance(0.12) { tests += [EHRCatalog.cholesterol, EHRCatalog.ldl] }
            if person.has(EHRCatalog.ckd) && random.chance(0.3) {
                tests += [EHRCatalog.creatinine, EHRCatalog.potassium]
            }
        }
        guard !tests.isEmpty else { return }
        let drawn = plan.start + (acute ? 1800 + random.below(5400) : 600 + random.below(1800))
        for test in tests {
            next.observation += 1
            observations.int(1, id(next.observation))
            observations.int(2, person.id)
            observations.int(3, encounterID)
            observations.text(4, EHRCatalog.loincText[test])
            var (value, unit) = EHRCatalog.labValue(test, person: person, plan: plan, using: &random)
            // Planted: a slipped decimal point now and then, in both directions (odd ids ten times too
            // small), so that a z-score lab has a low tail. The direction costs no random draw.
            if random.chance(0.0005) { value = next.observation % 2 == 0 ? value * 10 : value / 10 }
            if random.chance(0.005) { observations.null(5) } else { observations.real(5, value) }
            observations.text(6, unit)
            observations.time(7, seconds: drawn)
            try observations.step()
        }
    }

    mutating func writeMedications(_ plan: VisitPlan, encounterID: Int64, person: Person) throws {
        var orders: [(med: Int, days: Int?)] = []
        let diagnosis = Codes.diagnoses[plan.diagnosis]
        if diagnosis.chronic, plan.type != .emergency, random.chance(0.3),
            let meds = EHRCatalog.chronicMedications[diagnosis.code]
        {
            orders.append((meds[random.below(meds.count)], random.chance(0.8) ? nil : 90 + random.below(270)))
        }
        if let meds = EHRCatalog.acuteMedications[diagnosis.code], random.chance(0.75) {
            orders.append((meds[random.below(meds.count)], 5 + random.below(6)))
        }
        for order in orders {
            next.medication += 1
            medications.int(1, id(next.medication))
            medications.int(2, person.id)
            medications.int(3, encounterID)
            medications.text(4, EHRCatalog.medicationText[order.med])
            let start = plan.end / 86_400
            medications.date(5, day: start)
            if let days = order.days { medications.date(6, day: start + days) } else { medications.null(6) }
            try medications.step()
        }
    }

    /// Inpatient procedures (ICD-10-PCS); returns every code to bill, with the drugs and services given.
    mutating func writeProcedures(_ plan: VisitPlan, encounterID: Int64, person: Person) throws -> [Int] {
        let code = Codes.diagnoses[plan.diagnosis].code
        var billed: [Int] = []
        if plan.type == .inpatient {
            var done: [Int] = []
            switch code {
            case "O80": done.append(EHRCatalog.procedure("10E0XZZ"))
            case "I21.4": if random.chance(0.6) { done.append(EHRCatalog.procedure("02703ZZ")) }
            case "A41.9":
                if random.chance(0.12) { done.append(EHRCatalog.procedure("5A1955Z")) }
                if random.chance(0.15) { done.append(EHRCatalog.procedure("30233N1")) }
            case "S72.001A": if random.chance(0.3) { done.append(EHRCatalog.procedure("30233N1")) }
            default: break
            }
            for procedure in done {
                next.procedure += 1
                procedures.int(1, id(next.procedure))
                procedures.int(2, person.id)
                procedures.int(3, encounterID)
                procedures.text(4, EHRCatalog.procedureText[procedure])
                procedures.time(5, seconds: plan.start + 3600 * (2 + random.below(40)))
                try procedures.step()
            }
            billed = done
        }
        switch plan.type {
        case .outpatient:
            billed.append(
                code == "Z00.00" && person.age >= 65 ? EHRCatalog.procedure("G0439") : EHRCatalog.procedure("G0463"))
            let month = CivilTime.civil(plan.start / 86_400).month
            if month >= 10 && random.chance(0.25) { billed.append(EHRCatalog.procedure("G0008")) }
        case .telehealth:
            billed.append(EHRCatalog.procedure("Q3014"))
        case .emergency:
            billed.append(EHRCatalog.procedure(random.chance(0.6) ? "G0383" : "G0384"))
            if random.chance(person.age >= 65 ? 0.3 : 0.1) { billed.append(EHRCatalog.procedure("A0427")) }
            if let drug = EHRCatalog.drugFor[code], random.chance(0.5) { billed.append(drug) }
        case .inpatient:
            if let drug = EHRCatalog.drugFor[code] { billed.append(drug) }
            if billed.isEmpty { billed.append(EHRCatalog.procedure("J1885")) }
        }
        return billed
    }

    mutating func writeClaim(_ plan: VisitPlan, encounterID: Int64, person: Person, payer: Int, lines: [Int]) throws {
        next.claim += 1
        let claimID = id(next.claim)
        let submitted = plan.end / 86_400 + 1 + random.below(10)
        let billed: Double
        switch plan.type {
        case .outpatient: billed = random.logNormal(median: 180, sigma: 0.35)
        case .telehealth: billed = random.logNormal(median: 95, sigma: 0.3)
        case .emergency: billed = random.logNormal(median: 1600, sigma: 0.6)
        case .inpatient:
            let days = max(1, Double(plan.end - plan.start) / 86_400)
            billed = random.logNormal(median: 3200, sigma: 0.35) * days + Double(lines.count) * 900
        }
        let total = (billed * 100).rounded() / 100
        claims.int(1, claimID)
        claims.int(2, encounterID)
        claims.int(3, person.id)
        claims.int(4, payer)
        claims.date(5, day: submitted)
        let kind = EHRCatalog.payers[payer - 1]
        if submitted > EHRGenerator.lastDay - 20 && random.chance(0.6) {
            claims.text(6, EHRCatalog.pending)
            claims.real(7, total)
            claims.null(8)
            claims.null(9)
            claims.null(10)
        } else if kind.denialRate > 0, random.chance(kind.denialRate * (plan.type == .inpatient ? 1.4 : 1)) {
            claims.text(6, EHRCatalog.denied)
            claims.real(7, total)
            claims.real(8, 0)
            claims.real(9, 0)
            claims.text(10, EHRCatalog.denialText[random.below(EHRCatalog.denialText.count)])
        } else {
            let allowed = (total * kind.allowedShare * (0.9 + 0.2 * random.unit()) * 100).rounded() / 100
            let paid = (allowed * (kind.kind == "self-pay" ? 1 : 0.75 + 0.25 * random.unit()) * 100).rounded() / 100
            claims.text(6, EHRCatalog.paid)
            claims.real(7, total)
            claims.real(8, allowed)
            claims.real(9, paid)
            claims.null(10)
        }
        try claims.step()

        // Lines share the total; the last takes the rounding remainder so they add up to the cent.
        var remaining = total
        for (index, code) in lines.enumerated() {
            next.claimLine += 1
            claimLines.int(1, id(next.claimLine))
            claimLines.int(2, claimID)
            claimLines.int(3, index + 1)
            claimLines.text(4, EHRCatalog.procedureText[code])
            claimLines.int(5, EHRCatalog.unitsFor(code, using: &random))
            let share: Double
            if index == lines.count - 1 {
                share = remaining
            } else {
                share = ((total / Double(lines.count) * (index == 0 ? 1.3 : 0.7)) * 100).rounded() / 100
            }
            remaining = ((remaining - share) * 100).rounded() / 100
            claimLines.real(6, share)
            try claimLines.step()
        }
    }

    mutating func writeBedDays(_ plan: VisitPlan, encounterID: Int64) throws {
        let ward = EHRCatalog.wards.firstIndex(of: plan.department)
        var midnight = plan.start / 86_400 + 1
        while midnight * 86_400 <= plan.end && midnight <= EHRGenerator.lastDay {
            next.bedDay += 1
            bedDays.int(1, id(next.bedDay))
            bedDays.int(2, encounterID)
            bedDays.int(3, plan.department)
            bedDays.date(4, day: midnight)
            try bedDays.step()
            if let ward { census[ward][midnight - EHRGenerator.firstDay] += 1 }
            midnight += 1
        }
    }
}
