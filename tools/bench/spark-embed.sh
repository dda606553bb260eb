#!/usr/bin/env bash
# Spark local[2] (sdk-spark TextEmbedder) vs `sdk-cli embed` on the same 2,000 IMDB reviews, interleaved
# in one run, each as its own JVM under /usr/bin/time (wall, user+sys CPU, peak RSS); then the per-row
# cosine of Spark's vectors vs the CLI's after the join on the line id. Figures: docs/benchmarks.md "Spark".
#
#   mvn -B -o -q -pl examples -am package -DskipTests        # examples/target/sdk-cli.jar
#   mvn -B -o -q -pl sdk-spark -am test-compile dependency:build-classpath \
#       -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
#   SDK_ASSETS_DIR=/path/to/shared/assets tools/bench/spark-embed.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ASSETS=${SDK_ASSETS_DIR:?set SDK_ASSETS_DIR to the shared assets}
ROUNDS=${1:-2}
W=${BENCH_DIR:-$(mktemp -d /tmp/spark-embed-bench.XXXXXX)}
set +o pipefail  # head closes the pipe after 2,000 lines
zcat "$ASSETS/datasets/imdb/reviews.jsonl.gz" | head -n 2000 > "$W/imdb-2000.jsonl"
set -o pipefail
[ "$(wc -l < "$W/imdb-2000.jsonl")" -eq 2000 ]
CP=${BENCH_CP:-"sdk-spark/target/test-classes:sdk-spark/target/classes:$(cat sdk-spark/target/bench-classpath.txt)"}
# The module opens Spark 3.5 needs on Java 17 (the list in sdk-spark/pom.xml).
OPENS=(-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
export SPARK_LOCAL_IP=127.0.0.1
lscpu | grep 'Model name'
uptime
timed() { local label=$1; shift; /usr/bin/time -f "$label: %e s wall, %U+%S s CPU, %M KB peak RSS" "$@" 2>&1 \
  | grep -E "^(sdk-cli embed|spark local)|^spark-job|^compare" ; }
SPARK=(java -Xmx2g "${OPENS[@]}" -cp "$CP" dev.nnsdk.spark.bench.SparkEmbedBench)
for round in $(seq 1 "$ROUNDS"); do
  echo "--- round $round"
  [ -n "${SKIP_CLI:-}" ] || timed "sdk-cli embed b32" java -Xmx2g -jar examples/target/sdk-cli.jar embed \
    --model all-minilm-l6-v2 --input "$W/imdb-2000.jsonl" --output "$W/cli.jsonl" --batch-size 32 --quiet
  # RUNS: batch:threads pairs (threads 0 = the engine's default, one per core); JOBS: jobs per Spark session (1 cold + warm)
  for run in ${RUNS:-32:0 8:0 32:1 64:0}; do
    b=${run%%:*}; t=${run##*:}
    timed "spark local[2] b$b t$t" "${SPARK[@]}" embed "$W/imdb-2000.jsonl" "$W/spark-b$b-t$t.parquet" "$b" 2 "$t" "${JOBS:-2}"
  done
done
for f in "$W"/spark-b*.parquet; do echo "$(basename "$f"): $("${SPARK[@]}" compare "$f" "$W/cli.jsonl" 2>&1 | grep '^compare')"; done
uptime
