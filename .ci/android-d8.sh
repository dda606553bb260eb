#!/usr/bin/env bash
# Android check for real: converts the jars an Android app takes (sdk-api, sdk-onnx) with D8 --min-api 26, and
# traces every class they reference with R8 against Android 8.0's (API 26) classes. Fails on any D8/R8 warning or
# error: a class API 26 does not have, a desugaring problem, a class-file feature API 26 cannot take.
#
# Everything comes from Maven Central through Maven (offline once in ~/.m2; copied into target/android-d8/):
#   - D8 and R8: com.android.tools:r8 (Google's R8 jar, which contains D8; the d8 of Android build-tools);
#   - Android 8.0's own classes: org.robolectric:android-all 8.0.0_r4 (the framework of a device image);
#   - Android 8.0's java.* / javax.* (which android-all leaves out): written by .ci/android/Api26Library.java from
#     animal-sniffer's API 26 signature (the one the build checks against), see that file.
# Debian has no d8 (android-sdk-build-tools 29.0.3 ships none) and no android.jar for API 26.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
R8_ARTIFACT="com.android.tools:r8:8.7.18"
ANDROID_ALL_ARTIFACT="org.robolectric:android-all:8.0.0_r4-robolectric-r1"
SIGNATURE_ARTIFACT="net.sf.androidscents.signature:android-api-level-26:8.0.0_r2:signature"
SNIFFER_ARTIFACT="org.codehaus.mojo:animal-sniffer:1.24"
ASM_ARTIFACT="org.ow2.asm:asm:9.7"
TOOLS="$ROOT/target/android-d8"
mkdir -p "$TOOLS"
start=$(date +%s)

# dependency:copy with the root pom alone (-N: its pluginManagement pins the plugin); offline first.
fetch() {
  local g a v t
  IFS=: read -r g a v t <<< "$1"
  local file="$TOOLS/$a-$v.${t:-jar}"
  if [ ! -f "$file" ]; then
    (cd "$ROOT" && { mvn -B -q -o -N dependency:copy -Dartifact="$1" -DoutputDirectory="$TOOLS" >/dev/null 2>&1 \
      || mvn -B -q -N dependency:copy -Dartifact="$1" -DoutputDirectory="$TOOLS" >&2; }) \
      || { echo "android-d8: FAILED: could not resolve $1 through Maven" >&2; exit 1; }
  fi
  echo "$file"
}
R8_JAR="$(fetch "$R8_ARTIFACT")"
ANDROID_ALL="$(fetch "$ANDROID_ALL_ARTIFACT")"
JAVA_LIB="$TOOLS/android-26-java.jar"
if [ ! -f "$JAVA_LIB" ] || [ "$ROOT/.ci/android/Api26Library.java" -nt "$JAVA_LIB" ]; then
  java -cp "$(fetch "$SNIFFER_ARTIFACT"):$(fetch "$ASM_ARTIFACT")" "$ROOT/.ci/android/Api26Library.java" \
    "$(fetch "$SIGNATURE_ARTIFACT")" "$ANDROID_ALL" "$JAVA_LIB.part"
  mv "$JAVA_LIB.part" "$JAVA_LIB"
fi

# The module jars, fresh, and their runtime dependencies (slf4j-api, ONNX Runtime's Java API) as class path:
# referenced, not converted (an app takes onnxruntime-android, with the same classes).
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
(cd "$ROOT" && mvn -B -q -o -pl sdk-api,sdk-onnx -DskipTests package dependency:build-classpath -DincludeScope=runtime \
    -DexcludeGroupIds=dev.nnsdk -Dmdep.outputFile="$OUT/cp.txt" > "$OUT/mvn.log" 2>&1) \
  || { cat "$OUT/mvn.log"; echo "android-d8: FAILED: mvn package dependency:build-classpath (sdk-api, sdk-onnx)"; exit 1; }
jars=()
for m in sdk-api sdk-onnx; do
  j="$(ls "$ROOT/$m/target/$m"-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -1 || true)"
  [ -f "$j" ] || { echo "android-d8: FAILED: $m jar missing after mvn package"; exit 1; }
  jars+=("$j")
done
# ANDROID_D8_EXTRA_JARS (space-separated): more program jars, e.g. a probe showing the check fails.
for j in ${ANDROID_D8_EXTRA_JARS:-}; do jars+=("$j"); done
args=(--release --min-api 26 --lib "$ANDROID_ALL" --lib "$JAVA_LIB")
IFS=: read -r -a cps < "$OUT/cp.txt" || true   # the file has no final newline
for c in "${cps[@]}"; do [ -n "$c" ] && args+=(--classpath "$c"); done
grep -q onnxruntime "$OUT/cp.txt" && grep -q slf4j-api "$OUT/cp.txt" \
  || { echo "android-d8: FAILED: expected slf4j-api and onnxruntime on the class path, got: $(cat "$OUT/cp.txt")"; exit 1; }

check() {   # name, log: any warning or error fails (two jars' manifests meeting is not a finding)
  if grep -v "Resource 'META-INF/MANIFEST.MF' already exists" "$2" | grep -Eiq "warning|error|missing"; then
    cat "$2"; echo "android-d8: FAILED: $1 reported the problems above"; exit 1
  fi
}
# 1. D8: the conversion an app build does (dex for min API 26, with desugaring).
if ! java -Xmx1g -cp "$R8_JAR" com.android.tools.r8.D8 "${args[@]}" --output "$OUT/d8.zip" "${jars[@]}" > "$OUT/d8.log" 2>&1; then
  cat "$OUT/d8.log"; echo "android-d8: FAILED: d8"; exit 1
fi
check d8 "$OUT/d8.log"
# 2. R8 keeping every SDK class (no shrinking or renaming of the SDK): it resolves every class the SDK references,
#    and one that neither Android 8.0 nor the class path has is a "Missing class" error. (Missing *members* of
#    classes API 26 has are animal-sniffer's to find: it checks both modules in every build.)
printf '%s\n' '-keep class dev.nnsdk.** { *; }' '-dontobfuscate' '-dontoptimize' > "$OUT/rules.pro"
if ! java -Xmx1g -cp "$R8_JAR" com.android.tools.r8.R8 "${args[@]}" --pg-conf "$OUT/rules.pro" --output "$OUT/r8.zip" \
    "${jars[@]}" > "$OUT/r8.log" 2>&1; then
  cat "$OUT/r8.log"; echo "android-d8: FAILED: r8 (missing classes or desugaring errors above)"; exit 1
fi
check r8 "$OUT/r8.log"

classes=0
for j in "${jars[@]}"; do classes=$((classes + $(unzip -Z1 "$j" | grep -c '\.class$'))); done
dex_bytes=$(unzip -p "$OUT/d8.zip" '*.dex' | wc -c)
echo "android-d8: $(for j in "${jars[@]}"; do basename "$j"; done | paste -sd+): $classes classes -> $dex_bytes bytes of dex (d8 --min-api 26)"
echo "android-d8: d8 and r8 $(basename "$R8_JAR" .jar) against $(basename "$ANDROID_ALL" .jar) + $(basename "$JAVA_LIB" .jar)," \
     "class path $(tr ':' '\n' < "$OUT/cp.txt" | xargs -n1 basename | paste -sd' '): no warnings, no missing classes" \
     "($(( $(date +%s) - start )) s)"
