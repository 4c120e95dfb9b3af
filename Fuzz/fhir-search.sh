#!/usr/bin/env bash
# Coverage-guided fuzzing of the FHIR library's search parser and engine with libFuzzer and
# AddressSanitizer. Usage: Fuzz/fhir-search.sh [seconds]   (default 60). The corpus starts from the
# search URLs in the tests and the labs; crashing or hanging inputs are written to .build/fuzz-search/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
mkdir -p .build/fuzz-search/corpus
n=0
while IFS= read -r url; do
    n=$((n + 1))
    printf '%s' "$url" > ".build/fuzz-search/corpus/seed-$n"
done < <(grep -ohE '"(Patient|Observation|Condition|Encounter|MedicationRequest|AllergyIntolerance|Immunization|Procedure|Practitioner|Organization|DiagnosticReport)\?[^"]*"' \
    Tests/FHIRTests/SearchTests.swift Tests/RoundsLabsTests/Independent/fhir.yaml | tr -d '"' | sort -u)
swiftc -O -sanitize=fuzzer,address -parse-as-library -enable-bare-slash-regex -module-name FHIR $(ls Sources/FHIR/*.swift) \
    Fuzz/FHIRBundleShim.swift Fuzz/FHIRSearchFuzz.swift \
    -o .build/fuzz-search/fhir-search-fuzz 2>&1 | grep -v "Cannot export local symbol" || true  # gold's noise about ASan's own symbols
ASAN_OPTIONS=detect_leaks=0 .build/fuzz-search/fhir-search-fuzz -max_total_time="$seconds" -max_len=512 -timeout=5 \
    -detect_leaks=0 -artifact_prefix=.build/fuzz-search/ .build/fuzz-search/corpus 2>&1 | tail -n 4
