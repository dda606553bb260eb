#!/usr/bin/env bash
# Runs the CI form of the mixed soak N times (docs/reliability.md, "Soak"), exactly as CI does it, and prints
# one line per engine and run with the RSS figures. Each Maven invocation runs MixedSoakTest twice (surefire's
# default-test and soak executions), so N invocations give 2N runs per engine.
#
#   SDK_ASSETS_DIR=/work/shared/assets scripts/soak-ci-loop.sh [N]     (default 5, i.e. 10 runs per engine)
#
# Logs: target/soak-ci-loop/run-K.log. Exit status 1 if any invocation failed.
set -u
cd "$(dirname "$0")/.."
N="${1:-5}"
mkdir -p target/soak-ci-loop
status=0
for k in $(seq 1 "$N"); do
  log="target/soak-ci-loop/run-$k.log"
  start=$(date +%s)
  if mvn -B -o -pl integration-tests -am verify -Dtest=MixedSoakTest -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    result=PASS
  else
    result=FAIL; status=1
  fi
  echo "invocation $k: $result, $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -o 'SOAK engine=[a-z]* .*' "$log" | sed -E 's/.*engine=([a-z]+) .*served=([0-9]+) failures=([0-9]+) wrong=([0-9]+).* rssWarmKb=([0-9]+) rssEndKb=([0-9]+) rssMaxKb=([0-9]+) rssGrowth=([-+0-9.]+%).* result=([A-Z]+).*/  \1: served \2, failures \3, wrong \4, RSS at rest \5 -> \6 kB (max \7) \8 \9/'
done
exit $status
