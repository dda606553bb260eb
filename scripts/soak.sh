#!/usr/bin/env bash
# Long form of the mixed soak (docs/reliability.md, "Soak"). `mvn verify` runs the short form
# (MixedSoakTest: 5,000 requests per engine, measured phase bounded to 20 s). This script runs
# dev.nnsdk.it.soak.MixedSoak for each engine in its own JVM (fixed pre-touched heap, Native Memory
# Tracking), with no deadline:
#
#   scripts/soak.sh [REQUESTS] [ENGINES]      (defaults: 50000, "onnx djl")
#   SOAK_OPTS="-Dsoak.threads=32 -Dsoak.seed=7" scripts/soak.sh 20000 onnx
#
# Needs SDK_ASSETS_DIR (the shared assets). Prints one SOAK line per engine (requests, failures,
# cancellations, RSS after warm-up and at the end, NMT) and keeps the logs in target/soak-<engine>.log.
set -eu
cd "$(dirname "$0")/.."
REQUESTS="${1:-50000}"
ENGINES="${2:-onnx djl}"
mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/soak.classpath \
    -Dmdep.includeScope=test -pl integration-tests -am
CP="integration-tests/target/test-classes:integration-tests/target/classes:$(cat integration-tests/target/soak.classpath)"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.djl.ai}"
# glibc's allocator as a service gets it: no MALLOC_ARENA_MAX (the djl engine bounds its native threads itself,
# docs/reliability.md "Soak"); set MALLOC_ARENA_MAX=2 in the environment to compare
if [ -z "${MALLOC_ARENA_MAX:-}" ]; then unset MALLOC_ARENA_MAX; fi
mkdir -p target
status=0
for e in $ENGINES; do
  start=$(date +%s)
  # shellcheck disable=SC2086
  if ! java -Xms384m -Xmx384m -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary \
      -Dsoak.engines="$e" -Dsoak.requests="$REQUESTS" ${SOAK_OPTS:-} \
      -cp "$CP" dev.nnsdk.it.soak.MixedSoak >"target/soak-$e.log" 2>&1; then
    status=1
  fi
  grep '^SOAK' "target/soak-$e.log" || tail -20 "target/soak-$e.log"
  echo "$e: wall $(( $(date +%s) - start )) s"
done
exit $status
