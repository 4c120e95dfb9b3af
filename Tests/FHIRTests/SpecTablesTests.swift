import Foundation
import Testing

@testable import FHIR

/// The bundled element tables must say exactly what the R4 (4.0.1) StructureDefinitions say.
/// Tests/FHIRTests/Spec holds the spec's own StructureDefinitions (CC0), minified but unchanged.
@Suite struct SpecTablesTests {
    static let specFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Spec")

    static func specDefinition(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: specFolder.appendingPathComponent("StructureDefinition-\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// What the spec says of one element: path, min, max, type codes with reference targets, content reference.
    static func specRows(_ name: String) throws -> [String] {
        let definition = try specDefinition(name)
        let snapshot = try #require(definition["snapshot"] as? [String: Any])
        let elements = try #require(snapshot["element"] as? [[String: Any]])
        return elements.map { element in
            let types = (element["type"] as? [[String: Any]] ?? []).map { type -> String in
                var code = type["code"] as? String ?? ""
                if code.hasPrefix("http://hl7.org/fhirpath/System.") {
                    let marked = (type["extension"] as? [[String: Any]] ?? []).first?["valueUrl"] as? String
                    code = marked ?? "string"
                }
                let targets = (type["targetProfile"] as? [String] ?? [])
                    .map { $0.replacingOccurrences(of: "http://hl7.org/fhir/StructureDefinition/", with: "") }
                return code
                    + (targets.isEmpty || !["Reference", "canonical"].contains(code)
                        ? "" : "(\(targets.joined(separator: "|")))")
            }
            let reference = (element["contentReference"] as? String).map { " → " + $0.dropFirst() } ?? ""
            return
                "\(element["path"]!) \(element["min"]!)..\(element["max"]!) \(types.joined(separator: ","))\(reference)"
        }
    }

    static func ourRows(_ name: String) throws -> [String] {
        let table = try #require(Definitions.shared.structures[name], "no bundled table for \(name)")
        return table.elements.map { element in
            let types = (element.types ?? []).map { type in
                type.code + (type.targets.map { "(\($0.joined(separator: "|")))" } ?? "")
            }
            let reference = element.contentReference.map { " → " + $0 } ?? ""
            return "\(element.path) \(element.min)..\(element.max) \(types.joined(separator: ","))\(reference)"
        }
    }

    static var specNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: specFolder.path)) ?? [])
            .filter { $0.hasPrefix("StructureDefinition-") }
            .map { String($0.dropFirst("StructureDefinition-".count).dropLast(5)) }
            .sorted()
    }

    @Test func everyResourceAndDatatypeHasItsSpecDefinition() {
        let ours = Set(Definitions.shared.structures.keys)
        #expect(Set(Self.specNames) == ours)
        #expect(Set(Definitions.resources).isSubset(of: ours))
        #expect(ours.count >= 45)
    }

    @Test(arguments: specNames)
    func tableMatchesTheSpec(name: String) throws {
        let spec = try Self.specRows(name)
        let ours = try Self.ourRows(name)
        #expect(ours.count == spec.count, "\(name): \(ours.count) rows, the spec has \(spec.count)")
        for (mine, theirs) in zip(ours, spec) where mine != theirs {
            Testing.Issue.record("\(name): bundled “\(mine)” but the spec says “\(theirs)”")
        }
        let definition = try Self.specDefinition(name)
        #expect(definition["fhirVersion"] as? String == "4.0.1")
        #expect(Definitions.shared.structures[name]?.fhirVersion == "4.0.1")
    }

    /// Spot checks a person can read against hl7.org/fhir/R4, so a broken generator cannot pass by
    /// agreeing with itself.
    @Test func knownCardinalities() throws {
        let defs = Definitions.shared
        #expect(defs.element(at: "Observation.status")?.min == 1)
        #expect(defs.element(at: "Observation.code")?.min == 1)
        #expect(defs.element(at: "Encounter.class")?.min == 1)
        #expect(defs.element(at: "Encounter.class")?.types?.first?.code == "Coding")
        #expect(defs.element(at: "Condition.subject")?.min == 1)
        #expect(defs.element(at: "MedicationRequest.intent")?.min == 1)
        #expect(defs.element(at: "MedicationRequest.medication[x]")?.min == 1)
        #expect(defs.element(at: "Bundle.type")?.min == 1)
        #expect(defs.element(at: "Patient.name")?.max == "*")
        #expect(defs.element(at: "Patient.gender")?.max == "1")
        #expect(defs.element(at: "Patient.gender")?.binding == "http://hl7.org/fhir/ValueSet/administrative-gender")
        #expect(defs.element(at: "Bundle.entry.link")?.contentReference == "Bundle.link")
        let subjectTargets = try #require(defs.element(at: "Observation.subject")?.types?.first?.targets)
        #expect(Set(subjectTargets) == ["Patient", "Group", "Device", "Location"])
        #expect(defs.element(at: "Patient")?.min == nil)  // the root is not a child of anything
        #expect(defs.resourceTypes.count == 146)
        #expect(
            defs.valueSets["http://hl7.org/fhir/ValueSet/observation-status"]?.map(\.code).sorted() == [
                "amended", "cancelled", "corrected", "entered-in-error", "final", "preliminary", "registered",
                "unknown",
            ])
    }

    /// Every invariant the spec states for these structures is either evaluated or listed, with a reason,
    /// as not evaluated (docs/fhir.md repeats the list).
    @Test func everyInvariantIsEvaluatedOrExplained() {
        let keys = Set(
            Definitions.shared.structures.values.flatMap { $0.constraints ?? [] }.map(\.key)
                .filter { !$0.hasPrefix("ele-") && !$0.hasPrefix("ext-") })
        let covered = FHIRValidator.evaluatedInvariants.union(FHIRValidator.unevaluatedInvariants.keys)
        #expect(
            keys.subtracting(covered).isEmpty, "neither evaluated nor explained: \(keys.subtracting(covered).sorted())")
        #expect(FHIRValidator.evaluatedInvariants.isSubset(of: keys))
    }
}
