/// The fixed parts of the synthetic health system (organizations, departments, payers, names) and the
/// distributions visits and results are drawn from. Everything here is invented; nothing describes a
/// real person or organization.
enum EHRCatalog {
    static let days = EHRGenerator.lastDay - EHRGenerator.firstDay + 1
    static let todayDay = EHRGenerator.lastDay + 1

    struct Organization {
        let name, kind, city: String
    }

    static let organizations: [Organization] = [
        .init(name: "Riverside General Hospital", kind: "hospital", city: "Springfield"),
        .init(name: "Lakeview Community Hospital", kind: "hospital", city: "Peoria"),
        .init(name: "Northgate Family Clinic", kind: "clinic", city: "Springfield"),
        .init(name: "Eastside Health Center", kind: "clinic", city: "Decatur"),
    ]

    struct Department {
        let name, specialty: String
        let organization: Int
    }

    /// Ids are positions + 1.
    static let departments: [Department] = [
        .init(name: "Emergency", specialty: "Emergency medicine", organization: 1),
        .init(name: "Internal Medicine", specialty: "Hospital medicine", organization: 1),
        .init(name: "Cardiology", specialty: "Cardiology", organization: 1),
        .init(name: "Pulmonology", specialty: "Pulmonology", organization: 1),
        .init(name: "Intensive Care", specialty: "Critical care", organization: 1),
        .init(name: "Orthopedics", specialty: "Orthopedic surgery", organization: 2),
        .init(name: "Obstetrics", specialty: "Obstetrics", organization: 2),
        .init(name: "Neurology", specialty: "Neurology", organization: 2),
        .init(name: "Primary Care", specialty: "Family medicine", organization: 3),
        .init(name: "Family Medicine", specialty: "Family medicine", organization: 4),
        .init(name: "Endocrinology Clinic", specialty: "Endocrinology", organization: 3),
        .init(name: "Cardiology Clinic", specialty: "Cardiology", organization: 4),
        .init(name: "Pulmonology Clinic", specialty: "Pulmonology", organization: 4),
    ]
    static let emergency = 1
    static let medicineWard = 2
    static let cardiologyWard = 3
    static let pulmonologyWard = 4
    static let icu = 5
    static let orthopedics = 6
    static let obstetrics = 7
    static let neurology = 8
    static let primaryCare = [9, 10]
    static let endocrinologyClinic = 11
    static let cardiologyClinic = 12
    static let pulmonologyClinic = 13
    /// Departments with beds.
    static let wards = [2, 3, 4, 5, 6, 7, 8]

    struct Payer {
        let name, kind: String
        let denialRate, allowedShare: Double
    }

    static let payers: [Payer] = [
        .init(name: "Medicare", kind: "medicare", denialRate: 0.06, allowedShare: 0.38),
        .init(name: "State Medicaid", kind: "medicaid", denialRate: 0.12, allowedShare: 0.30),
        .init(name: "Blue Harbor Health Plan", kind: "commercial", denialRate: 0.08, allowedShare: 0.55),
        .init(name: "Summit Commercial Insurance", kind: "commercial", denialRate: 0.10, allowedShare: 0.58),
        .init(name: "Keystone Care", kind: "commercial", denialRate: 0.14, allowedShare: 0.52),
        .init(name: "Self-pay", kind: "self-pay", denialRate: 0, allowedShare: 0.45),
        // Contracted at the end of the data: in the payer table, with no members or claims yet, so a
        // per-payer report must decide whether it belongs.
        .init(name: "Lakeside Health Cooperative", kind: "commercial", denialRate: 0.09, allowedShare: 0.54),
    ]
    static let medicare = 1
    static let medicaid = 2
    static let commercial = [3, 4, 5]
    static let selfPay = 6

    static func payer(for person: Person, using random: inout SeededRandom) -> Int {
        if person.age >= 65 { return random.chance(0.92) ? medicare : commercial[random.below(3)] }
        if random.chance(person.age < 18 ? 0.40 : 0.17) { return medicaid }
        if person.age >= 18 && random.chance(0.09) { return selfPay }
        return commercial[random.below(3)]
    }

    struct Provider {
        let npi, name: String
        let department: Int
    }

    /// Providers spread over departments by workload. NPIs carry a deliberately wrong check digit.
    static func makeProviders(count: Int) -> [Provider] {
        var random = SeededRandom(seed: 0x5052_4F56)
        let weights: [(Int, Double)] = [
            (1, 12), (2, 10), (3, 5), (4, 4), (5, 4), (6, 4), (7, 4), (8, 3), (9, 18), (10, 18), (11, 5), (12, 6),
            (13, 5),
        ]
        let departments = Weighted(weights)
        return (0..<count).map { index in
            let department = index < weights.count ? weights[index].0 : departments.pick(&random)
            var digits = (0..<9).map { _ in random.below(10) }
            digits[0] = 1
            var sum = 24
            for (position, digit) in digits.reversed().enumerated() {
                if position % 2 == 0 {
                    let doubled = digit * 2
                    sum += doubled > 9 ? doubled - 9 : doubled
                } else {
                    sum += digit
                }
            }
            let check = (10 - sum % 10) % 10
            let npi = digits.map(String.init).joined() + String((check + 1) % 10)
            let female = random.chance(0.5)
            let first = (female ? femaleNames : maleNames)[random.below(femaleNames.count)]
            let last = lastNames[random.below(lastNames.count)]
            return Provider(npi: npi, name: "\(first) \(last)", department: department)
        }
    }

    // MARK: People

    static let femaleNames = [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Amy",
        "Maria", "Ana", "Sofia", "Mei", "Aisha", "Fatima", "Priya", "Olivia", "Emma", "Ava",
    ]
    static let maleNames = [
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher",
        "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua",
        "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan",
        "Jose", "Luis", "Carlos", "Wei", "Omar", "Ahmed", "Raj", "Liam", "Noah", "Ethan",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
        "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
        "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
        "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
        "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Okafor",
    ]

    /// Names as written on a record, and the variants a second registration may carry.
    struct NameForms: Sendable {
        let plain, upper, lower, typo, padded: [StaticText]

        init(_ names: [String]) {
            plain = names.map(StaticText.init)
            upper = names.map { StaticText($0.uppercased()) }
            lower = names.map { StaticText($0.lowercased()) }
            typo = names.map { name in
                var letters = Array(name)
                if letters.count >= 4 { letters.swapAt(letters.count / 2, letters.count / 2 + 1) }
                return StaticText(String(letters))
            }
            padded = names.map { StaticText($0 + " ") }
        }
    }

    static let female = StaticText("F")
    static let male = StaticText("M")
    static let femaleForms = NameForms(femaleNames)
    static let maleForms = NameForms(maleNames)
    static let lastForms = NameForms(lastNames)

    static let races = Weighted<StaticText>([
        (StaticText("White"), 61), (StaticText("Black or African American"), 12.4), (StaticText("Asian"), 6),
        (StaticText("American Indian or Alaska Native"), 1.1),
        (StaticText("Native Hawaiian or Other Pacific Islander"), 0.2), (StaticText("Some Other Race"), 8.4),
        (StaticText("Two or More Races"), 10.2),
    ])

    static let zips = [
        "62701", "62702", "62703", "62704", "62707", "61602", "61603", "61604", "61606", "61614", "62521",
        "62522", "62526", "62401", "61820", "61821", "61701", "61704", "62650", "62656",
    ].map(StaticText.init)

    /// Writes a 555 number (fictional) in one of three styles: (555) 123-4567, 555.123.4567, 5551234567.
    static func writePhone(_ number: Int, style: Int, to slot: UnsafeMutablePointer<UInt8>) -> Int {
        let exchange = number / 10_000
        let line = number % 10_000
        switch style {
        case 1:
            for (index, byte) in "555.".utf8.enumerated() { slot[index] = byte }
            _ = CivilTime.writeDigits(exchange, width: 3, to: slot + 4)
            slot[7] = 46
            return 8 + CivilTime.writeDigits(line, width: 4, to: slot + 8)
        case 2:
            for (index, byte) in "555".utf8.enumerated() { slot[index] = byte }
            _ = CivilTime.writeDigits(exchange, width: 3, to: slot + 3)
            return 6 + CivilTime.writeDigits(line, width: 4, to: slot + 6)
        default:
            for (index, byte) in "(555) ".utf8.enumerated() { slot[index] = byte }
            _ = CivilTime.writeDigits(exchange, width: 3, to: slot + 6)
            slot[9] = 45
            return 10 + CivilTime.writeDigits(line, width: 4, to: slot + 10)
        }
    }

    // MARK: Codes as bound text

    static let diagnosisIndex = Dictionary(uniqueKeysWithValues: Codes.diagnoses.enumerated().map { ($1.code, $0) })
    static let diagnosisText = Codes.diagnoses.map { StaticText($0.code) }
    static let loincText = Codes.labTests.map { StaticText($0.loinc) }
    static let unitText = Codes.labTests.map { StaticText($0.unit) }
    static let medicationText = Codes.medications.map { StaticText($0.rxcui) }
    static let procedureText = Codes.procedures.map { StaticText($0.code) }
    static let typeText = VisitPlan.Kind.allCases.map { StaticText($0.rawValue) }
    static let statusText = VisitPlan.Status.allCases.map { StaticText($0.rawValue) }
    static let denialText = Codes.denialReasons.map(StaticText.init)
    static let paid = StaticText("paid")
    static let denied = StaticText("denied")
    static let pending = StaticText("pending")
    static let mmolPerLiter = StaticText("mmol/L")
    static let micromolPerLiter = StaticText("umol/L")

    static func diagnosis(_ code: String) -> Int { diagnosisIndex[code]! }
    static func procedure(_ code: String) -> Int { Codes.procedures.firstIndex { $0.code == code }! }
    static func medication(_ name: String) -> Int { Codes.medications.firstIndex { $0.name == name }! }
    static func test(_ loinc: String) -> Int { Codes.labTests.firstIndex { $0.loinc == loinc }! }

    static let hba1c = test("4548-4")
    static let glucose = test("2345-7")
    static let creatinine = test("2160-0")
    static let potassium = test("2823-3")
    static let hemoglobin = test("718-7")
    static let leukocytes = test("6690-2")
    static let cholesterol = test("2093-3")
    static let ldl = test("13457-7")
    static let bnp = test("33762-6")

    static let heartFailure = diagnosis("I50.9")
    static let copd = diagnosis("J44.9")
    static let ckd = diagnosis("N18.30")
    static let diabetes = diagnosis("E11.9")
    static let diabetesHigh = diagnosis("E11.65")

    /// Chronic conditions and their prevalence by age band (under 18, 18–39, 40–64, 65 and over).
    static let prevalence: [(Int, [Double])] = [
        (diagnosis("I10"), [0.005, 0.07, 0.32, 0.58]),
        (diagnosis("E11.9"), [0.002, 0.02, 0.09, 0.15]),
        (diagnosis("E11.65"), [0.0005, 0.008, 0.03, 0.06]),
        (diagnosis("E78.5"), [0.005, 0.05, 0.26, 0.45]),
        (diagnosis("I50.9"), [0, 0.002, 0.015, 0.08]),
        (diagnosis("J44.9"), [0, 0.004, 0.04, 0.11]),
        (diagnosis("J45.909"), [0.08, 0.08, 0.08, 0.07]),
        (diagnosis("N18.30"), [0, 0.005, 0.03, 0.12]),
        (diagnosis("F32.9"), [0.03, 0.09, 0.08, 0.06]),
        (diagnosis("F41.1"), [0.03, 0.08, 0.07, 0.05]),
        (diagnosis("E66.9"), [0.12, 0.2, 0.25, 0.2]),
        (diagnosis("E03.9"), [0.005, 0.03, 0.06, 0.1]),
        (diagnosis("I48.91"), [0, 0.002, 0.015, 0.09]),
        (diagnosis("I25.10"), [0, 0.003, 0.04, 0.13]),
        (diagnosis("K21.9"), [0.01, 0.08, 0.12, 0.14]),
    ]

    static func band(_ age: Int) -> Int { age < 18 ? 0 : age < 40 ? 1 : age < 65 ? 2 : 3 }

    // MARK: Results

    /// A result for a test, in the expected unit, except for the planted unit mix-ups.
    static func labValue(
        _ test: Int, person: Person, plan: VisitPlan, using random: inout SeededRandom
    ) -> (Double, StaticText) {
        func round(_ value: Double, _ places: Double) -> Double {
            let scale: Double = places == 0 ? 1 : places == 1 ? 10 : 100
            return (value * scale).rounded() / scale
        }
        func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double { min(high, max(low, value)) }
        let code = Codes.diagnoses[plan.diagnosis].code
        switch test {
        case hba1c:
            // Planted: a few people with no diabetes on their problem list have a diabetic HbA1c
            // (undiagnosed diabetes), so a filter on the diagnosis matters.
            let undiagnosed = !person.isDiabetic && random.chance(0.03)
            let value =
                person.isDiabetic || undiagnosed
                ? random.normal(mean: 7.6 + person.control + (undiagnosed ? 1.2 : 0), sd: 0.9)
                : random.normal(mean: 5.35, sd: 0.35)
            return (round(clamp(value, 4.2, 14.5), 1), unitText[test])
        case glucose:
            let value =
                person.isDiabetic ? random.normal(mean: 160, sd: 45) : random.normal(mean: 97, sd: 14)
            let mgdl = round(clamp(value, 45, 550), 0)
            // Planted: some results reported in mmol/L.
            if random.chance(0.015) { return (round(mgdl / 18.016, 1), mmolPerLiter) }
            return (mgdl, unitText[test])
        case creatinine:
            let value =
                person.has(ckd)
                ? random.normal(mean: 1.9, sd: 0.45)
                : random.normal(mean: person.sex == .female ? 0.8 : 1.0, sd: 0.16)
            let mgdl = round(clamp(value, 0.3, 8), 2)
            if random.chance(0.01) { return (round(mgdl * 88.4, 0), micromolPerLiter) }
            return (mgdl, unitText[test])
        case potassium:
            return (round(clamp(random.normal(mean: person.has(ckd) ? 4.7 : 4.2, sd: 0.4), 2.5, 7), 1), unitText[test])
        case hemoglobin:
            let mean = person.sex == .female ? 13.2 : 14.8
            return (round(clamp(random.normal(mean: mean, sd: 1.2), 6, 20), 1), unitText[test])
        case leukocytes:
            let infected = code == "A41.9" || code == "J18.9"
            let value = infected ? random.normal(mean: 15, sd: 4) : random.normal(mean: 7.2, sd: 1.8)
            return (round(clamp(value, 1, 45), 1), unitText[test])
        case cholesterol:
            let mgdl = round(clamp(random.normal(mean: 195, sd: 38), 90, 400), 0)
            // Planted: a few results reported in mmol/L, as laboratories outside the US do.
            if random.chance(0.02) { return (round(mgdl / 38.67, 2), mmolPerLiter) }
            return (mgdl, unitText[test])
        case ldl:
            return (round(clamp(random.normal(mean: 112, sd: 32), 30, 300), 0), unitText[test])
        default:  // NT-proBNP
            let value =
                person.has(heartFailure)
                ? random.logNormal(median: 1500, sigma: 0.8) : random.logNormal(median: 70, sigma: 0.7)
            return (round(value, 0), unitText[test])
        }
    }

    static let chronicMedications: [String: [Int]] = [
        "E11.9": [medication("metformin"), medication("empagliflozin")],
        "E11.65": [medication("insulin glargine"), medication("metformin")],
        "I10": [medication("lisinopril"), medication("amlodipine"), medication("losartan")],
        "E78.5": [medication("atorvastatin")],
        "I25.10": [medication("atorvastatin")],
        "I50.9": [medication("furosemide"), medication("carvedilol")],
        "J44.9": [medication("tiotropium")],
        "J45.909": [medication("albuterol")],
        "E03.9": [medication("levothyroxine")],
        "F32.9": [medication("sertraline")],
        "F41.1": [medication("sertraline")],
        "K21.9": [medication("omeprazole")],
        "I48.91": [medication("apixaban")],
    ]

    static let acuteMedications: [String: [Int]] = [
        "J18.9": [medication("azithromycin"), medication("amoxicillin"), medication("ceftriaxone")],
        "J44.1": [medication("prednisone")],
        "A41.9": [medication("ceftriaxone")],
    ]

    /// The drug or service billed for a diagnosis in the emergency department or on the ward.
    static let drugFor: [String: Int] = [
        "J18.9": procedure("J0696"), "A41.9": procedure("J0696"), "N39.0": procedure("J0696"),
        "J44.1": procedure("J1100"), "U07.1": procedure("J1100"), "J45.909": procedure("J7613"),
        "M54.50": procedure("J1885"), "R51.9": procedure("J1885"), "S72.001A": procedure("J1885"),
        "I50.9": procedure("J1940"), "I21.4": procedure("J1644"), "I63.9": procedure("J1644"),
    ]

    static func unitsFor(_ code: Int, using random: inout SeededRandom) -> Int {
        switch Codes.procedures[code].code {
        case "J0696": 4
        case "J1885", "J1940": 1 + random.below(2)
        case "J1100": 6 + random.below(5)
        case "J1644": 5
        case "J7613": 2 + random.below(3)
        default: 1
        }
    }
}

/// One patient as drawn: who they are and what they live with.
struct Person {
    enum Sex { case female, male }

    var id: Int64 = 0
    let sex: Sex
    let age: Int
    let birthDay: Int
    let firstName: StaticText
    let lastName: StaticText
    let zip: Int
    let phone: Int
    let chronic: [Int]
    let deathDay: Int?
    /// How far this person's HbA1c sits from the diabetic mean (persistent, so repeats correlate).
    let control: Double
    /// How much more or less than others of their age this person uses care.
    let utilization: Double
    let firstIndex: Int
    let lastIndex: Int

    func has(_ diagnosis: Int) -> Bool { chronic.contains(diagnosis) }
    var isDiabetic: Bool { has(EHRCatalog.diabetes) || has(EHRCatalog.diabetesHigh) }

    static let ageBands = Weighted<ClosedRange<Int>>([
        (0...17, 22), (18...34, 22), (35...49, 19), (50...64, 19), (65...79, 13.5), (80...99, 4.5),
    ])

    static func random(using random: inout SeededRandom) -> Person {
        let sex: Sex = random.chance(0.508) ? .female : .male
        let age = random.int(ageBands.pick(&random))
        var birthDay = EHRCatalog.todayDay - age * 365 - age / 4 - 1 - random.below(365)
        // Planted impossible values: a birth date in the future, or one far too long ago.
        if random.chance(0.0002) { birthDay = EHRCatalog.todayDay + 30 + random.below(300) }
        if random.chance(0.0001) { birthDay = CivilTime.day(year: 1890, month: 1, day: 1) + random.below(1500) }
        let band = EHRCatalog.band(age)
        var chronic: [Int] = []
        for (code, rates) in EHRCatalog.prevalence where random.chance(rates[band]) {
            // One type 2 diabetes code per person.
            if code == EHRCatalog.diabetesHigh && chronic.contains(EHRCatalog.diabetes) { continue }
            chronic.append(code)
        }
        let death =
            age >= 75 && random.chance(0.04) ? EHRGenerator.firstDay + random.below(EHRCatalog.days) : nil
        let names = sex == .female ? EHRCatalog.femaleForms : EHRCatalog.maleForms
        let first = random.below(names.plain.count)
        let last = random.below(EHRCatalog.lastForms.plain.count)
        return Person(
            sex: sex, age: age, birthDay: birthDay, firstName: names.plain[first],
            lastName: EHRCatalog.lastForms.plain[last], zip: random.below(EHRCatalog.zips.count),
            phone: (200 + random.below(800)) * 10_000 + random.below(10_000), chronic: chronic, deathDay: death,
            control: random.normal(mean: 0, sd: 0.9), utilization: random.logNormal(median: 0.8, sigma: 0.8),
            firstIndex: first, lastIndex: last)
    }

    /// The same person registered again: the name written differently, sometimes the day and month
    /// of birth swapped; few visits of their own.
    func duplicate(using random: inout SeededRandom) -> Person {
        let names = sex == .female ? EHRCatalog.femaleForms : EHRCatalog.maleForms
        var first = names.plain[firstIndex]
        var last = EHRCatalog.lastForms.plain[lastIndex]
        switch random.below(5) {
        case 0: last = EHRCatalog.lastForms.upper[lastIndex]
        case 1: first = names.lower[firstIndex]
        case 2: last = EHRCatalog.lastForms.typo[lastIndex]
        case 3: first = names.padded[firstIndex]
        default:
            first = names.upper[firstIndex]
            last = EHRCatalog.lastForms.upper[lastIndex]
        }
        var birth = birthDay
        let date = CivilTime.civil(birthDay)
        if random.chance(0.2), date.day <= 12, date.day != date.month {
            birth = CivilTime.day(year: date.year, month: date.day, day: date.month)
        }
        return Person(
            sex: sex, age: age, birthDay: birth, firstName: first, lastName: last, zip: zip, phone: phone,
            chronic: [], deathDay: deathDay, control: control, utilization: 0.25, firstIndex: firstIndex,
            lastIndex: lastIndex)
    }
}
