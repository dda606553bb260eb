#!/usr/bin/env bash
# Android check for real: converts the jars an Android app takes (sdk-api, sdk-onnx) with D8 --min-api 26, and
# traces every class they reference with R8 against the Android 8.0 (API 26) framework. Fails on any D8/R8
# warning or error: a missing class, a desugaring problem, a class-file feature API 26 cannot take. Run after
# `mvn package` (the module jars must be in */target/).
#
# The tools come from Maven Central through Maven itself (offline once they are in ~/.m2):
#   - D8 and R8: com.android.tools:r8 (Google's R8 jar, which contains D8; the d8/r8 of Android build-tools);
#   - the API 26 library: org.robolectric:android-all 8.0.0_r4 (Android 8.0.0 = API 26, the framework and libcore
#     classes of a real device image, which Robolectric publishes as one jar).
# Debian has no d8 (android-sdk-build-tools 29.0.3 ships none) and no android.jar for API 26. Set D8_JAR /
# ANDROID_JAR to use other files. animal-sniffer (API 26 signatures) still runs in every build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
R8_ARTIFACT="com.android.tools:r8:8.7.18"
ANDROID_ARTIFACT="org.robolectric:android-all:8.0.0_r4-robolectric-r1"
TOOLS="$ROOT/target/android-d8"
mkdir -p "$TOOLS"
start=$(date +%s)

# dependency:copy from the root pom alone (-N), plugin version from its pluginManagement; offline first.
fetch() {
  local artifact="$1" jar="$TOOLS/$(echo "$1" | cut -d: -f2)-$(echo "$1" | cut -d: -f3).jar"
  if [ ! -f "$jar" ]; then
    (cd "$ROOT" && { mvn -B -q -o -N dependency:copy -Dartifact="$artifact" -DoutputDirectory="$TOOLS" >/dev/null 2>&1 \
      || mvn -B -q -N dependency:copy -Dartifact="$artifact" -DoutputDirectory="$TOOLS" >&2; }) \
      || { echo "android-d8: FAILED: could not resolve $artifact through Maven" >&2; exit 1; }
  fi
  echo "$jar"
}
R8_JAR="${D8_JAR:-$(fetch "$R8_ARTIFACT")}"
ANDROID_JAR="${ANDROID_JAR:-$(fetch "$ANDROID_ARTIFACT")}"

jars=()
for m in sdk-api sdk-onnx; do
  j="$(ls "$ROOT/$m/target/$m"-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -1 || true)"
  [ -f "$j" ] || { echo "android-d8: FAILED: $m jar missing; run mvn package first"; exit 1; }
  jars+=("$j")
done
# Their runtime dependencies (slf4j-api, ONNX Runtime's Java API) as class path: referenced, not converted.
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
(cd "$ROOT" && mvn -B -q -o -pl sdk-onnx -am dependency:build-classpath -DincludeScope=runtime \
    -DexcludeGroupIds=dev.nnsdk -Dmdep.outputFile="$OUT/cp.txt" >/dev/null) \
  || { echo "android-d8: FAILED: mvn dependency:build-classpath for sdk-onnx"; exit 1; }
cp_args=()
IFS=':' read -r -a cps < "$OUT/cp.txt"
for c in "${cps[@]}"; do [ -n "$c" ] && cp_args+=(--classpath "$c"); done
[ "${#cp_args[@]}" -ge 4 ] || { echo "android-d8: FAILED: expected slf4j-api and onnxruntime on the class path, got: $(cat "$OUT/cp.txt")"; exit 1; }

check() {   # name, log: fail on any warning or error line
  if grep -Eiq "warning|error|missing" "$2"; then
    cat "$2"; echo "android-d8: FAILED: $1 reported the problems above"; exit 1
  fi
}
# 1. D8: the conversion an app build does (dex at min API 26, with desugaring).
if ! java -cp "$R8_JAR" com.android.tools.r8.D8 --release --min-api 26 --lib "$ANDROID_JAR" "${cp_args[@]}" \
    --output "$OUT/d8.zip" "${jars[@]}" > "$OUT/d8.log" 2>&1; then
  cat "$OUT/d8.log"; echo "android-d8: FAILED: d8"; exit 1
fi
check d8 "$OUT/d8.log"
# 2. R8 keeping every SDK class: traces every reference, and a class API 26 does not have (nor the class path)
#    is a "Missing class" error. No shrinking or renaming of what is kept, so every reference is checked.
printf '%s\n' '-keep class dev.nnsdk.** { *; }' '-dontobfuscate' '-dontoptimize' > "$OUT/rules.pro"
if ! java -cp "$R8_JAR" com.android.tools.r8.R8 --release --min-api 26 --lib "$ANDROID_JAR" "${cp_args[@]}" \
    --pg-conf "$OUT/rules.pro" --output "$OUT/r8.zip" "${jars[@]}" > "$OUT/r8.log" 2>&1; then
  cat "$OUT/r8.log"; echo "android-d8: FAILED: r8 (missing classes or desugaring errors above)"; exit 1
fi
check r8 "$OUT/r8.log"

classes=0
for j in "${jars[@]}"; do classes=$((classes + $(unzip -Z1 "$j" | grep -c '\.class$'))); done
dex_bytes=$(unzip -p "$OUT/d8.zip" '*.dex' | wc -c)
echo "android-d8: $(basename "${jars[0]}") + $(basename "${jars[1]}"): $classes classes -> $dex_bytes bytes of dex"
echo "android-d8: d8 and r8 --min-api 26 ($(basename "$R8_JAR")) against $(basename "$ANDROID_JAR"), class path $(tr ':' '\n' < "$OUT/cp.txt" | xargs -n1 basename | paste -sd' '): no warnings, no missing classes ($(( $(date +%s) - start )) s)"
