import Foundation

/// One element of a FHIR structure, as the R4 StructureDefinition's snapshot gives it.
public struct ElementDefinition: Sendable, Hashable, Decodable {
    /// A type the element may take; `targets` lists the resource types a Reference may point at.
    public struct TypeRef: Sendable, Hashable, Decodable {
        public let code: String
        public let targets: [String]?
    }

    public let path: String
    public let min: Int
    /// `"1"`, `"*"`, or another whole number.
    public let max: String
    public let types: [TypeRef]?
    /// The canonical URL of a required value set, when the element has a required binding.
    public let binding: String?
    /// For elements defined as "the same as" another (`Bundle.entry.link` is a `Bundle.link`).
    public let contentReference: String?
    /// The spec's short description, shown in messages.
    public let short: String?

    /// The last part of the path: `family` for `Patient.name.family`, `value[x]` for a choice.
    public var name: String { String(path[path.index(after: path.lastIndex(of: ".") ?? path.startIndex)...]) }
    public var isChoice: Bool { path.hasSuffix("[x]") }
    public var isList: Bool { max != "1" && max != "0" }
    public var maxCount: Int? { max == "*" ? nil : Int(max) }
}

/// An invariant the spec states for an element.
public struct Constraint: Sendable, Hashable, Decodable {
    public let key: String
    public let severity: String
    public let path: String
    public let human: String
    public let expression: String
}

/// The element table of one resource or datatype.
public struct StructureTable: Sendable, Decodable {
    public let name: String
    public let kind: String
    public let base: String
    public let fhirVersion: String
    public let elements: [ElementDefinition]
    public let constraints: [Constraint]?
}

/// A primitive datatype: how it looks in JSON and the spec's regular expression for its value.
public struct PrimitiveDefinition: Sendable, Decodable {
    public let json: String
    public let regex: String?
}

/// A code a required value set allows.
public struct AllowedCode: Sendable, Hashable, Decodable {
    public let system: String?
    public let code: String
}

/// A search parameter of a resource, cut to that resource's part of the expression.
public struct SearchParameterDefinition: Sendable, Decodable {
    public let type: String
    public let expression: String
    public let targets: [String]
    public let url: String
}

/// The FHIR R4 (4.0.1) definitions this library works from, generated from the official
/// `hl7.fhir.r4.core` package by `scripts/fhir-r4-definitions.py` and bundled as JSON, one file per
/// resource or datatype (Sources/FHIR/Definitions).
public struct Definitions: Sendable {
    /// The resources validated in full.
    public static let resources = [
        "Patient", "Practitioner", "Organization", "Encounter", "Observation", "Condition", "MedicationRequest",
        "AllergyIntolerance", "Procedure", "Immunization", "DiagnosticReport", "Bundle",
    ]

    public static let shared = Definitions()

    public let structures: [String: StructureTable]
    public let primitives: [String: PrimitiveDefinition]
    public let valueSets: [String: [AllowedCode]]
    /// Every R4 resource type, for telling `Patient/1` from `patient/1`.
    public let resourceTypes: Set<String>
    public let searchParameters: [String: [String: SearchParameterDefinition]]
    /// Child tables by element path, computed once.
    let childIndex: [String: [String: ElementDefinition]]

    init() {
        func load<T: Decodable>(_ name: String, as type: T.Type) -> T {
            // The files are part of this target; a missing or broken one is a build defect.
            guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Definitions"),
                let data = try? Data(contentsOf: url)
            else { fatalError("FHIR definitions: Definitions/\(name).json is not in the bundle") }
            do {
                return try JSONDecoder().decode(T.self, from: data)
            } catch {
                fatalError("FHIR definitions: Definitions/\(name).json does not decode: \(error)")
            }
        }
        let folder = Bundle.module.resourceURL?.appendingPathComponent("Definitions")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder?.path ?? "")) ?? [])
            .filter { $0.hasSuffix(".json") && $0.first?.isUppercase == true }
            .map { String($0.dropLast(5)) }
        var structures: [String: StructureTable] = [:]
        for name in names { structures[name] = load(name, as: StructureTable.self) }
        self.structures = structures
        primitives = load("primitives", as: [String: PrimitiveDefinition].self)
        valueSets = load("valuesets", as: [String: ValueSetFile].self).mapValues(\.codes)
        resourceTypes = Set(load("resourcetypes", as: [String].self))
        searchParameters = load("searchparameters", as: [String: [String: SearchParameterDefinition]].self)
        var index: [String: [String: ElementDefinition]] = [:]
        for table in structures.values {
            for element in table.elements {
                guard let dot = element.path.lastIndex(of: ".") else { continue }
                index[String(element.path[..<dot]), default: [:]][element.name] = element
            }
        }
        childIndex = index
    }

    private struct ValueSetFile: Decodable { let codes: [AllowedCode] }

    /// The children of the element at `path` (`Patient`, `Patient.contact`, `HumanName`).
    public func children(of path: String) -> [String: ElementDefinition] { childIndex[path] ?? [:] }

    /// The element at `path`, if the tables know it.
    public func element(at path: String) -> ElementDefinition? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        return childIndex[String(path[..<dot])]?[String(path[path.index(after: dot)...])]
    }

    /// Whether `code` names a primitive type (`string`, `dateTime`, …).
    public func isPrimitive(_ code: String) -> Bool { primitives[code] != nil }
}
