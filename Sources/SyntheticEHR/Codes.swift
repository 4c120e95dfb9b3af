/// The code subsets the synthetic EHR uses. Only code systems whose terms allow it are embedded (see
/// the licence notes in README.md): ICD-10-CM and ICD-10-PCS (CMS/CDC, public domain), HCPCS Level II
/// (CMS, public domain), RxNorm ingredient concepts (NLM, SAB=RXNORM, public domain), LOINC codes
/// (Regenstrief, used under its licence with the notice in README.md) and UCUM units. No CPT, no SNOMED CT.
/// Descriptions are short paraphrases, not the official long titles.
enum Codes {
    struct Diagnosis {
        let code: String
        let description: String
        let chronic: Bool
    }

    static let diagnoses: [Diagnosis] = [
        .init(code: "I10", description: "Essential (primary) hypertension", chronic: true),
        .init(code: "E11.9", description: "Type 2 diabetes without complications", chronic: true),
        .init(code: "E11.65", description: "Type 2 diabetes with hyperglycemia", chronic: true),
        .init(code: "E78.5", description: "Hyperlipidemia, unspecified", chronic: true),
        .init(code: "I50.9", description: "Heart failure, unspecified", chronic: true),
        .init(code: "J44.9", description: "COPD, unspecified", chronic: true),
        .init(code: "J45.909", description: "Asthma, unspecified, uncomplicated", chronic: true),
        .init(code: "N18.30", description: "Chronic kidney disease, stage 3 unspecified", chronic: true),
        .init(code: "F32.9", description: "Major depressive disorder, single episode, unspecified", chronic: true),
        .init(code: "F41.1", description: "Generalized anxiety disorder", chronic: true),
        .init(code: "E66.9", description: "Obesity, unspecified", chronic: true),
        .init(code: "E03.9", description: "Hypothyroidism, unspecified", chronic: true),
        .init(code: "I48.91", description: "Atrial fibrillation, unspecified", chronic: true),
        .init(code: "I25.10", description: "Coronary artery disease of native artery without angina", chronic: true),
        .init(code: "K21.9", description: "Gastro-esophageal reflux disease without esophagitis", chronic: true),
        .init(code: "J44.1", description: "COPD with acute exacerbation", chronic: false),
        .init(code: "J18.9", description: "Pneumonia, unspecified organism", chronic: false),
        .init(code: "J06.9", description: "Acute upper respiratory infection, unspecified", chronic: false),
        .init(code: "U07.1", description: "COVID-19", chronic: false),
        .init(code: "N39.0", description: "Urinary tract infection, site not specified", chronic: false),
        .init(code: "R07.9", description: "Chest pain, unspecified", chronic: false),
        .init(code: "R51.9", description: "Headache, unspecified", chronic: false),
        .init(code: "M54.50", description: "Low back pain, unspecified", chronic: false),
        .init(code: "A41.9", description: "Sepsis, unspecified organism", chronic: false),
        .init(code: "I21.4", description: "Non-ST elevation myocardial infarction (NSTEMI)", chronic: false),
        .init(code: "I63.9", description: "Cerebral infarction (stroke), unspecified", chronic: false),
        .init(
            code: "S72.001A", description: "Fracture of neck of right femur, initial encounter, closed", chronic: false),
        .init(code: "O80", description: "Full-term uncomplicated delivery", chronic: false),
        .init(code: "Z00.00", description: "General adult medical exam without abnormal findings", chronic: false),
    ]

    struct LabTest {
        let loinc: String
        let name: String
        let unit: String
        let low: Double?
        let high: Double?
    }

    static let labTests: [LabTest] = [
        .init(loinc: "4548-4", name: "Hemoglobin A1c", unit: "%", low: 4.0, high: 5.6),
        .init(loinc: "2345-7", name: "Glucose, serum or plasma", unit: "mg/dL", low: 70, high: 99),
        .init(loinc: "2160-0", name: "Creatinine, serum or plasma", unit: "mg/dL", low: 0.6, high: 1.3),
        .init(loinc: "2823-3", name: "Potassium, serum or plasma", unit: "mmol/L", low: 3.5, high: 5.1),
        .init(loinc: "2951-2", name: "Sodium, serum or plasma", unit: "mmol/L", low: 135, high: 145),
        .init(loinc: "718-7", name: "Hemoglobin, blood", unit: "g/dL", low: 12.0, high: 17.5),
        .init(loinc: "6690-2", name: "Leukocytes (white cell count), blood", unit: "10*3/uL", low: 4.5, high: 11.0),
        .init(loinc: "2093-3", name: "Cholesterol, total", unit: "mg/dL", low: nil, high: 200),
        .init(loinc: "13457-7", name: "LDL cholesterol, calculated", unit: "mg/dL", low: nil, high: 100),
        .init(loinc: "33762-6", name: "NT-proBNP", unit: "pg/mL", low: nil, high: 125),
    ]

    struct Medication {
        let rxcui: String
        let name: String
    }

    static let medications: [Medication] = [
        .init(rxcui: "6809", name: "metformin"),
        .init(rxcui: "274783", name: "insulin glargine"),
        .init(rxcui: "1545653", name: "empagliflozin"),
        .init(rxcui: "29046", name: "lisinopril"),
        .init(rxcui: "17767", name: "amlodipine"),
        .init(rxcui: "52175", name: "losartan"),
        .init(rxcui: "83367", name: "atorvastatin"),
        .init(rxcui: "4603", name: "furosemide"),
        .init(rxcui: "20352", name: "carvedilol"),
        .init(rxcui: "435", name: "albuterol"),
        .init(rxcui: "69120", name: "tiotropium"),
        .init(rxcui: "8640", name: "prednisone"),
        .init(rxcui: "10582", name: "levothyroxine"),
        .init(rxcui: "36437", name: "sertraline"),
        .init(rxcui: "7646", name: "omeprazole"),
        .init(rxcui: "1364430", name: "apixaban"),
        .init(rxcui: "723", name: "amoxicillin"),
        .init(rxcui: "18631", name: "azithromycin"),
        .init(rxcui: "2193", name: "ceftriaxone"),
    ]

    struct Procedure {
        let code: String
        let system: String
        let description: String
    }

    static let procedures: [Procedure] = [
        .init(code: "02703ZZ", system: "ICD-10-PCS", description: "Percutaneous dilation of one coronary artery"),
        .init(code: "10E0XZZ", system: "ICD-10-PCS", description: "Delivery of products of conception"),
        .init(code: "30233N1", system: "ICD-10-PCS", description: "Transfusion of red blood cells, peripheral vein"),
        .init(code: "5A1955Z", system: "ICD-10-PCS", description: "Mechanical ventilation, more than 96 hours"),
        .init(code: "G0463", system: "HCPCS", description: "Hospital outpatient clinic visit"),
        .init(code: "G0439", system: "HCPCS", description: "Annual wellness visit, subsequent"),
        .init(code: "G0008", system: "HCPCS", description: "Influenza vaccine administration"),
        .init(code: "Q3014", system: "HCPCS", description: "Telehealth originating site facility fee"),
        .init(code: "G0383", system: "HCPCS", description: "Type B emergency department visit, level 4"),
        .init(code: "G0384", system: "HCPCS", description: "Type B emergency department visit, level 5"),
        .init(code: "A0427", system: "HCPCS", description: "Advanced life support emergency ambulance"),
        .init(code: "J1885", system: "HCPCS", description: "Ketorolac injection, 15 mg"),
        .init(code: "J0696", system: "HCPCS", description: "Ceftriaxone injection, 250 mg"),
        .init(code: "J7613", system: "HCPCS", description: "Albuterol inhalation solution, 1 mg"),
        .init(code: "J1100", system: "HCPCS", description: "Dexamethasone injection, 1 mg"),
        .init(code: "J1940", system: "HCPCS", description: "Furosemide injection, up to 20 mg"),
        .init(code: "J1644", system: "HCPCS", description: "Heparin sodium injection, per 1,000 units"),
    ]

    static let denialReasons = [
        "missing prior authorization", "not medically necessary", "coding error", "duplicate claim",
        "coverage terminated", "filed after the time limit",
    ]
}
