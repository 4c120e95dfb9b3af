#!/usr/bin/env bash
# Coverage-guided fuzzing of the HL7v2 parser with libFuzzer and AddressSanitizer.
# Usage: Fuzz/hl7v2.sh [seconds]   (default 60). Crashing inputs are written to .build/fuzz/.
# Leak detection is off: the Swift runtime keeps its type-metadata caches for the life of the process.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
mkdir -p .build/fuzz/corpus
# Seeds: the test samples, one message per file.
printf 'MSH|^~\\&|LAB|GH|EHR|GH|20240310101500||ORU^R01^ORU_R01|1|P|2.5.1\rPID|1||1^^^GHH^MR~2^^^SSA^SS||DOE^JANE\rOBR|1|A|B|4548-4^HbA1c^LN\rOBX|1|NM|4548-4^HbA1c^LN||7.2|%%|4-5.6|H|||F\rNTE|1||x \\T\\ y\\.br\\z\\XC3A9\\\r' > .build/fuzz/corpus/oru.hl7
printf 'MSH#$*@%%#A#B#C#D#20240101##ADT$A04#X1#P#2.5\rPID#1##42$$$H$MR*43##ROE$R%%X$@R@\r' > .build/fuzz/corpus/custom.hl7
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name HL7v2 Sources/HL7v2/*.swift Fuzz/HL7v2Fuzz.swift \
    -o .build/fuzz/hl7v2-fuzz 2>&1 | grep -v "Cannot export local symbol" || true  # gold's noise about ASan's own symbols
ASAN_OPTIONS=detect_leaks=0 .build/fuzz/hl7v2-fuzz -max_total_time="$seconds" -max_len=4096 -detect_leaks=0 -artifact_prefix=.build/fuzz/ .build/fuzz/corpus 2>&1 \
    | tail -n 12
