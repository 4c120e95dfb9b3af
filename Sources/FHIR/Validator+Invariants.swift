/// The R4 invariants evaluated by hand (the spec states them in FHIRPath; we do not run FHIRPath),
/// and the Bundle rules. Each message says what the rule means for the resource at hand.
extension ValidationRun {
    static let conditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    static let conditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    static let allergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"

    static func hasCoding(_ concept: JSONValue?, system: String, codes: Set<String>) -> Bool {
        (concept?["coding"]?.items ?? []).contains {
            $0["system"]?.string == system && codes.contains($0["code"]?.string ?? "")
        }
    }

    static func hasChoice(_ object: JSONValue, _ stem: String) -> Bool {
        (object.members ?? []).contains { member in
            let key = member.key.hasPrefix("_") ? String(member.key.dropFirst()) : member.key
            return key.hasPrefix(stem) && key.count > stem.count
                && key[key.index(key.startIndex, offsetBy: stem.count)].isUppercase
        }
    }

    mutating func invariants(path: String, object: JSONValue, location: String) {
        func has(_ key: String) -> Bool { object[key] != nil || object["_" + key] != nil }
        func fail(_ key: String, _ at: String, _ message: String, severity: Issue.Severity = .error) {
            add(severity, "invariant", at, message, invariant: key)
        }
        switch path {
        case "Observation":
            if has("dataAbsentReason") && Self.hasChoice(object, "value") {
                fail(
                    "obs-6", location + ".dataAbsentReason",
                    "dataAbsentReason says why there is no value, so it cannot sit beside value[x]; remove one of them."
                )
            }
            let codes = Set((object["code"]?["coding"]?.items ?? []).map(Self.codingKey))
            if Self.hasChoice(object, "value"),
                (object["component"]?.items ?? []).contains(where: { component in
                    (component["code"]?["coding"]?.items ?? []).contains { codes.contains(Self.codingKey($0)) }
                })
            {
                fail(
                    "obs-7", location,
                    "A component has the same code as the Observation itself; then the value belongs in the component, not in Observation.value[x]."
                )
            }
        case "Observation.referenceRange":
            if !has("low") && !has("high") && !has("text") {
                fail("obs-3", location, "A reference range needs at least a low, a high or a text.")
            }
        case "Condition":
            let enteredInError = Self.hasCoding(
                object["verificationStatus"], system: Self.conditionVerification, codes: ["entered-in-error"])
            if has("abatement") || Self.hasChoice(object, "abatement"),
                !Self.hasCoding(
                    object["clinicalStatus"], system: Self.conditionClinical,
                    codes: ["inactive", "resolved", "remission"])
            {
                fail(
                    "con-4", location + ".clinicalStatus",
                    "The condition has abated, so clinicalStatus must be inactive, resolved or remission (system \(Self.conditionClinical))."
                )
            }
            if enteredInError && has("clinicalStatus") {
                fail(
                    "con-5", location + ".clinicalStatus",
                    "A condition entered in error has no clinical status; remove clinicalStatus.")
            }
            let problemList = (object["category"]?.items ?? []).contains {
                ($0["coding"]?.items ?? []).contains { $0["code"]?.string == "problem-list-item" }
            }
            if !has("clinicalStatus") && !enteredInError && problemList {
                fail(
                    "con-3", location + ".clinicalStatus",
                    "A problem-list condition should say whether it is active (clinicalStatus).", severity: .warning)
            }
        case "Condition.stage":
            if !has("summary") && !has("assessment") {
                fail("con-1", location, "A stage needs a summary or an assessment.")
            }
        case "Condition.evidence":
            if !has("code") && !has("detail") { fail("con-2", location, "Evidence needs a code or a detail.") }
        case "AllergyIntolerance":
            let enteredInError = Self.hasCoding(
                object["verificationStatus"], system: Self.allergyVerification, codes: ["entered-in-error"])
            if !enteredInError && !has("clinicalStatus") {
                fail(
                    "ait-1", location + ".clinicalStatus",
                    "clinicalStatus (active, inactive or resolved) is required unless the allergy was entered in error."
                )
            }
            if enteredInError && has("clinicalStatus") {
                fail(
                    "ait-2", location + ".clinicalStatus",
                    "An allergy entered in error has no clinical status; remove clinicalStatus.")
            }
        case "Organization":
            if !has("identifier") && !has("name") {
                fail("org-1", location, "An organization needs at least a name or an identifier.")
            }
            for (index, address) in (object["address"]?.items ?? []).enumerated() where address["use"]?.string == "home"
            {
                fail("org-2", "\(location).address[\(index)].use", "An organization's address cannot have use “home”.")
            }
            for (index, telecom) in (object["telecom"]?.items ?? []).enumerated() where telecom["use"]?.string == "home"
            {
                fail("org-3", "\(location).telecom[\(index)].use", "An organization's telecom cannot have use “home”.")
            }
        case "Patient.contact":
            if !has("name") && !has("telecom") && !has("address") && !has("organization") {
                fail(
                    "pat-1", location,
                    "A contact needs a name, telecom, address or organization; otherwise it says nothing.")
            }
        case "Immunization.education":
            if !has("documentType") && !has("reference") {
                fail("imm-1", location, "Education needs a documentType or a reference.")
            }
        case "Attachment":
            if has("data") && !has("contentType") {
                fail(
                    "att-1", location + ".contentType",
                    "An attachment with data must say its contentType (a MIME type).")
            }
        case "ContactPoint":
            if has("value") && !has("system") {
                fail(
                    "cpt-2", location + ".system",
                    "A contact value needs a system: phone, email, fax, sms, url, pager or other.")
            }
        case "Quantity", "Age", "Count", "Distance", "Duration":
            if has("code") && !has("system") {
                fail(
                    "qty-3", location + ".system",
                    "A unit code needs its system; for UCUM units that is http://unitsofmeasure.org.")
            }
        case "Period":
            if let start = object["start"]?.string.flatMap(FHIRDate.init),
                let end = object["end"]?.string.flatMap(FHIRDate.init),
                start.low > end.low
            {
                fail("per-1", location, "The period starts after it ends; swap start and end.")
            }
        case "Range":
            if let low = object["low"]?["value"].flatMap(Self.number),
                let high = object["high"]?["value"].flatMap(Self.number),
                low > high
            {
                fail("rng-2", location, "The range's low is above its high.")
            }
        case "Ratio":
            if has("numerator") != has("denominator") {
                fail("rat-1", location, "A ratio needs both a numerator and a denominator, or neither.")
            }
        default: break
        }
    }

    static func codingKey(_ coding: JSONValue) -> String {
        (coding["system"]?.string ?? "") + "|" + (coding["code"]?.string ?? "")
    }

    static func number(_ value: JSONValue) -> Double? {
        if case .number(let text) = value { return Double(text) }
        return nil
    }

    // MARK: Bundles

    mutating func bundleRules(
        _ bundle: JSONValue, location: String, references: [(location: String, reference: String)]
    ) {
        let type = bundle["type"]?.string ?? ""
        let entries = bundle["entry"]?.items ?? []
        func fail(_ key: String?, _ at: String, _ message: String, code: String = "invariant") {
            add(.error, key == nil ? code : "invariant", at, message, invariant: key)
        }
        if bundle["total"] != nil && type != "searchset" && type != "history" {
            fail(
                "bdl-1", location + ".total",
                "total belongs only in search results and history; remove it from a \(type) bundle.")
        }
        var fullUrls: [String: Int] = [:]
        var resolvable: Set<String> = []
        for (index, entry) in entries.enumerated() {
            let at = "\(location).entry[\(index)]"
            if entry["search"] != nil && type != "searchset" {
                fail("bdl-2", at + ".search", "entry.search belongs only in search results; remove it.")
            }
            let needsRequest = ["batch", "transaction", "history"].contains(type)
            if needsRequest && entry["request"] == nil {
                fail(
                    "bdl-3", at + ".request",
                    "Every entry of a \(type) needs a request saying what to do, for example {\"method\": \"POST\", \"url\": \"Patient\"}."
                )
            } else if !needsRequest && entry["request"] != nil {
                fail("bdl-3", at + ".request", "A \(type) bundle has no requests; remove entry.request.")
            }
            let needsResponse = ["batch-response", "transaction-response", "history"].contains(type)
            if needsResponse && entry["response"] == nil {
                fail("bdl-4", at + ".response", "Every entry of a \(type) needs a response.")
            } else if !needsResponse && entry["response"] != nil {
                fail("bdl-4", at + ".response", "Only response bundles (and history) carry entry.response; remove it.")
            }
            if entry["resource"] == nil && entry["request"] == nil && entry["response"] == nil {
                fail("bdl-5", at, "An entry needs a resource, a request or a response.")
            }
            let resource = entry["resource"]
            if let fullUrl = entry["fullUrl"]?.string {
                if fullUrl.contains("/_history/") {
                    fail(
                        "bdl-8", at + ".fullUrl",
                        "fullUrl names a resource, not one version of it; drop the /_history/ part.")
                }
                if let first = fullUrls[fullUrl] {
                    fail(
                        "bdl-7", at + ".fullUrl",
                        "fullUrl \(fullUrl) is already used by entry[\(first)]; each entry needs its own (a fresh urn:uuid: for new resources)."
                    )
                } else {
                    fullUrls[fullUrl] = index
                }
                resolvable.insert(fullUrl)
                if let (urlType, urlID) = Self.typeAndID(fullUrl), let resource,
                    let resourceType = resource["resourceType"]?.string
                {
                    if urlType != resourceType || (resource["id"]?.string).map({ $0 != urlID }) == true {
                        fail(
                            nil, at + ".fullUrl",
                            "fullUrl \(fullUrl) disagrees with the resource (\(resourceType)/\(resource["id"]?.string ?? "no id")); they must name the same resource.",
                            code: "value")
                    }
                }
            } else if type == "transaction" && resource != nil {
                fail(
                    nil, at + ".fullUrl",
                    "In a transaction, give every entry a fullUrl (urn:uuid:… for a resource being created) so that other entries can refer to it.",
                    code: "required")
            }
            if let resource, let resourceType = resource["resourceType"]?.string, let id = resource["id"]?.string {
                resolvable.insert("\(resourceType)/\(id)")
            }
            if type == "transaction" || type == "batch", let request = entry["request"],
                let method = request["method"]?.string, let url = request["url"]?.string,
                let resourceType = resource?["resourceType"]?.string
            {
                if method == "POST" && url != resourceType && !url.hasPrefix(resourceType + "?") {
                    fail(
                        nil, at + ".request.url",
                        "A POST creates a \(resourceType), so request.url is “\(resourceType)” (the type), not “\(url)”.",
                        code: "value")
                }
                if method == "PUT" && !url.hasPrefix(resourceType + "/") && !url.hasPrefix(resourceType + "?") {
                    fail(
                        nil, at + ".request.url",
                        "A PUT updates \(resourceType)/id (or \(resourceType)?search for a conditional update), not “\(url)”.",
                        code: "value")
                }
            }
        }
        switch type {
        case "document":
            if bundle["identifier"]?["system"] == nil || bundle["identifier"]?["value"] == nil {
                fail(
                    "bdl-9", location + ".identifier",
                    "A document bundle needs an identifier with a system and a value.")
            }
            if bundle["timestamp"] == nil {
                fail("bdl-10", location + ".timestamp", "A document bundle needs a timestamp (when it was assembled).")
            }
            if entries.first?["resource"]?["resourceType"]?.string != "Composition" {
                fail("bdl-11", location + ".entry[0]", "A document bundle starts with its Composition.")
            }
        case "message":
            if entries.first?["resource"]?["resourceType"]?.string != "MessageHeader" {
                fail("bdl-12", location + ".entry[0]", "A message bundle starts with its MessageHeader.")
            }
        default: break
        }
        for (at, reference) in references {
            if reference.hasPrefix("urn:") {
                if !resolvable.contains(reference) {
                    add(
                        .error, "not-found", at,
                        "\(reference) does not match any entry's fullUrl in this Bundle; give the target entry \"fullUrl\": \"\(reference)\"."
                    )
                }
            } else if !resolvable.contains(reference) && !resolvable.contains(where: { $0.hasSuffix("/" + reference) })
            {
                add(
                    .information, "informational", at,
                    "\(reference) is not in this Bundle, so it must already exist on the server that receives it.")
            }
        }
    }
}
