#!/usr/bin/env bash
# Android check for real: converts the jars an Android app takes (sdk-api, sdk-onnx) with d8 --min-api 26, which
# fails on class-file features or APIs that API 26 cannot take after desugaring. Run after `mvn package`.
#
# d8 is looked up on PATH, then in $ANDROID_HOME/build-tools/*/. Debian bookworm's android-sdk-build-tools
# (29.0.3) ships aapt, aidl, zipalign and apksigner but NO d8 (nor dx), and Google's build-tools are not on the
# package registries this project may use, so on CI this check SKIPS with the message below unless a d8 is
# installed. animal-sniffer (API 26 signatures) still runs in every build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
D8="$(command -v d8 || true)"
if [ -z "$D8" ] && [ -n "${ANDROID_HOME:-}" ]; then
  D8="$(ls -d "$ANDROID_HOME"/build-tools/*/d8 2>/dev/null | sort -V | tail -1 || true)"
fi
if [ -z "$D8" ]; then
  echo "android-d8: SKIPPED: no d8 found (PATH, \$ANDROID_HOME/build-tools/*/d8). Debian's android-sdk-build-tools"
  echo "android-d8: has none; install Android build-tools >= 30 and set ANDROID_HOME to run this check."
  exit 0
fi
ANDROID_JAR="${ANDROID_JAR:-$(ls -d "${ANDROID_HOME:-/usr/lib/android-sdk}"/platforms/android-*/android.jar 2>/dev/null | sort -V | tail -1 || true)}"
[ -f "$ANDROID_JAR" ] || { echo "android-d8: FAILED: d8 is at $D8 but no android.jar (set ANDROID_JAR)"; exit 1; }
jars=()
for m in sdk-api sdk-onnx; do
  j="$(ls "$ROOT/$m/target/$m"-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -1 || true)"
  [ -f "$j" ] || { echo "android-d8: FAILED: $m jar missing; run mvn package first"; exit 1; }
  jars+=("$j")
done
# Their dependencies as class path (not converted): slf4j-api and ONNX Runtime's Java API.
CP="$(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl sdk-onnx -Dmdep.outputFile=/dev/stdout 2>/dev/null || true)"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
args=(--min-api 26 --lib "$ANDROID_JAR" --output "$OUT")
IFS=':' read -r -a cps <<< "$CP"
for c in "${cps[@]}"; do [ -n "$c" ] && args+=(--classpath "$c"); done
if "$D8" "${args[@]}" "${jars[@]}" 2> "$OUT/err.txt"; then
  if grep -Ei "missing class|desugar|error" "$OUT/err.txt"; then
    echo "android-d8: FAILED: d8 warnings above"; exit 1
  fi
  echo "android-d8: sdk-api + sdk-onnx convert with d8 --min-api 26 ($(ls "$OUT"/*.dex | wc -l) dex file(s))"
else
  cat "$OUT/err.txt"; echo "android-d8: FAILED"; exit 1
fi
