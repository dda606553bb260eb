#!/usr/bin/env bash
# Coverage-guided fuzzing of the SDK's parsers with Jazzer (docs/reliability.md, "Fuzzing").
# `mvn verify` only replays the committed seed inputs; this script fuzzes each target for ROUNDS
# sessions of 30 s (the @FuzzTest maxDuration). Each session resumes from the corpus the previous
# ones grew (<module>/.cifuzz-corpus/, not committed). A finding fails the session and Jazzer saves
# the input under src/test/resources/.../<Test>Inputs/<method>/, where it becomes a regression test.
#
#   scripts/fuzz.sh [ROUNDS]        (default 1)
#
# Prints, per target, the executions, the final coverage and the findings, and a total at the end.
set -u
cd "$(dirname "$0")/.."
ROUNDS="${1:-1}"
LOG_DIR="${FUZZ_LOG_DIR:-target/fuzz-logs}"
mkdir -p "$LOG_DIR"
TARGETS="${FUZZ_TARGETS:-model-zoo:DescriptorFuzzTest model-zoo:TokenizerFuzzTest model-zoo:ImageDecoderFuzzTest model-zoo:HubLayoutFuzzTest model-zoo:BinaryReadersFuzzTest sdk-cli:TextInputFuzzTest sdk-train:IdxFuzzTest}"
total_execs=0; total_findings=0; total_secs=0
for t in $TARGETS; do
  module="${t%%:*}"; test="${t##*:}"
  execs=0; findings=0; cov=""; start=$(date +%s)
  for r in $(seq 1 "$ROUNDS"); do
    log="$LOG_DIR/$test-$r.log"
    JAZZER_FUZZ=1 mvn -B -o verify -pl "$module" -am -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
    status=$?
    n=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed -E 's/^#([0-9]+).*/\1/')
    c=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*/\1/')
    execs=$((execs + ${n:-0})); [ -n "$c" ] && cov="$c"
    if [ $status -ne 0 ]; then findings=$((findings + 1)); echo "  $test round $r FAILED (see $log)"; fi
  done
  secs=$(( $(date +%s) - start ))
  echo "$test: rounds=$ROUNDS executions=$execs findings=$findings final [$cov] wall=${secs}s"
  total_execs=$((total_execs + execs)); total_findings=$((total_findings + findings)); total_secs=$((total_secs + secs))
done
echo "TOTAL: executions=$total_execs findings=$total_findings wall=${total_secs}s"
[ "$total_findings" -eq 0 ]
