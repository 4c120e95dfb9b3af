#!/usr/bin/env bash
# Coverage-guided fuzzing of the FHIR library's JSON parser with libFuzzer and AddressSanitizer.
# Usage: Fuzz/fhir-json.sh [seconds]   (default 60). Crashing inputs are written to .build/fuzz-json/.
# Leak detection is off: the Swift runtime keeps its type-metadata caches for the life of the process.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
mkdir -p .build/fuzz-json/corpus
cp Tests/FHIRTests/Examples/*.json .build/fuzz-json/corpus/
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FHIR Sources/FHIR/JSON.swift Fuzz/FHIRJSONFuzz.swift \
    -o .build/fuzz-json/fhir-json-fuzz 2>&1 | grep -v "Cannot export local symbol" || true  # gold's noise about ASan's own symbols
ASAN_OPTIONS=detect_leaks=0 .build/fuzz-json/fhir-json-fuzz -max_total_time="$seconds" -max_len=8192 -timeout=5 \
    -detect_leaks=0 -artifact_prefix=.build/fuzz-json/ .build/fuzz-json/corpus 2>&1 | tail -n 4
