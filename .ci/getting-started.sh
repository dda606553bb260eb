#!/usr/bin/env bash
# Runs every ```bash block of docs/getting-started.md, in order, in a throw-away directory, as a new user would:
# the README's dependency snippet (checked to be the one in the doc) in an empty project, built against SDK
# artifacts installed by the doc's own `mvn install` -- into a TEMPORARY local repository, never ~/.m2 (seeded with
# hard links to ~/.m2's third-party files, without dev/nnsdk), and the consumer project built OFFLINE (-o), so nnsdk
# can only come from that install. Also checks what a consumer gets: no test library on its class path, no
# "No SLF4J providers" and no DJL CUDA-probe warning. Needs SDK_ASSETS_DIR for the fine-tuning step.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${SDK_ASSETS_DIR:=$ROOT/../shared/assets}"
export SDK_ASSETS_DIR
WORK="$(mktemp -d "${TMPDIR:-/tmp}/nnsdk-getting-started.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
REPO="$WORK/m2"
mkdir -p "$REPO"
if [ -d "$HOME/.m2/repository" ]; then
  cp -al "$HOME/.m2/repository/." "$REPO/" 2>/dev/null || cp -a "$HOME/.m2/repository/." "$REPO/"
fi
rm -rf "$REPO/dev/nnsdk"
# Plugins the consumer pom pins that the SDK's own build may not have fetched (a no-op when cached).
command mvn -B -q -Dmaven.repo.local="$REPO" dependency:get -Dartifact=org.codehaus.mojo:exec-maven-plugin:3.5.0:maven-plugin >/dev/null
command mvn -B -q -Dmaven.repo.local="$REPO" dependency:get -Dartifact=org.apache.maven.plugins:maven-install-plugin:3.1.3:maven-plugin >/dev/null

# The README's snippet must be the one the doc's pom uses.
python3 - "$ROOT/README.md" "$ROOT/docs/getting-started.md" <<'PY'
import re, sys
readme, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
m = re.search(r"```xml\n(<dependencyManagement>.*?</dependencies>)\n```", readme, re.S)
assert m, "README: no ```xml block with the dependency snippet"
norm = lambda s: re.sub(r"\s+", " ", s).strip()
assert norm(m.group(1)) in norm(doc), "docs/getting-started.md does not use the README's dependency snippet verbatim"
PY

# The doc's bash blocks, with mvn pointed at the temporary repository (install online for plugins; consumer offline).
python3 - "$ROOT/docs/getting-started.md" > "$WORK/steps.sh" <<'PY'
import re, sys
blocks = re.findall(r"```bash\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) >= 4, "expected the doc's bash blocks"
print("\n".join(blocks))
PY
cd "$WORK"
ln -s "$ROOT" nnsdk
mvn() {
  case "$PWD" in
    */nnsdk) command mvn -Dmaven.repo.local="$REPO" "$@" ;;
    *) command mvn -o -Dmaven.repo.local="$REPO" "$@" ;;
  esac
}
export -f mvn
export REPO
start=$(date +%s)
bash -euo pipefail -c "$(declare -f mvn); $(cat "$WORK/steps.sh")" > "$WORK/out.txt" 2> "$WORK/err.txt" || {
  echo "getting-started: a step failed"; tail -40 "$WORK/out.txt" "$WORK/err.txt"; exit 1; }
cat "$WORK/out.txt"

fail() { echo "getting-started: $*"; tail -20 "$WORK/err.txt"; exit 1; }
grep -q "embedding of 384 floats" "$WORK/out.txt" || fail "the consumer project did not embed"
grep -Eq '(positive|negative) 0\.[0-9]+' "$WORK/out.txt" || fail "the exported model did not classify from Java"
[ "$(wc -l < "$WORK/labels.jsonl")" -eq 80 ] || fail "predict on the exported model wrote $(wc -l < "$WORK/labels.jsonl") lines, not 80"
! grep -q "No SLF4J providers" "$WORK/err.txt" || fail "a consumer gets no logging binding"
! grep -q "CudaUtils\|Failed to detect GPU" "$WORK/err.txt" "$WORK/out.txt" || fail "DJL's CUDA probe logged on a CPU run"
(cd "$WORK/hello-nnsdk" && command mvn -B -q -o -Dmaven.repo.local="$REPO" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list -DincludeScope=compile -DoutputFile="$WORK/deps.txt") \
    || fail "mvn dependency:list failed in the consumer project"
! grep -Ei "junit|opentest4j|org\.mockito|hamcrest" "$WORK/deps.txt" || fail "a test library is on the consumer's compile class path"
grep -q "dev.nnsdk:sdk-api" "$WORK/deps.txt" || fail "dependency:list did not list the SDK"
echo "getting-started: every command ran, $(( $(date +%s) - start )) s"

# Sources and javadoc jars (issue 15 item 7): the release profile attaches both to every module a consumer depends on
# (sdk-all's members, and sdk-spark), and a javadoc error fails it. Built in the clone, nothing installed; online like
# the README's `mvn verify`, since a fresh machine has not downloaded the source and javadoc plugins yet.
PUBLISHED="$(grep -o '<groupId>dev.nnsdk</groupId><artifactId>[^<]*' "$ROOT/sdk-all/pom.xml" | sed 's/.*<artifactId>//' | xargs) sdk-spark"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -1)"
start=$(date +%s)
(cd "$ROOT" && command mvn -B -q -Prelease -DskipTests package -pl "$(echo $PUBLISHED | tr ' ' ',')") \
    > "$WORK/release.txt" 2>&1 || { cat "$WORK/release.txt"; echo "getting-started: mvn -Prelease package failed"; exit 1; }
for m in $PUBLISHED; do
  src="$ROOT/$m/target/$m-$VERSION-sources.jar"; doc="$ROOT/$m/target/$m-$VERSION-javadoc.jar"
  unzip -Z1 "$src" 2>/dev/null | grep '\.java$' >/dev/null || { echo "getting-started: $m has no sources jar with .java files ($src)"; exit 1; }
  unzip -Z1 "$doc" 2>/dev/null | grep '^index\.html$' >/dev/null || { echo "getting-started: $m has no javadoc jar with an index.html ($doc)"; exit 1; }
done
echo "getting-started: -sources.jar and -javadoc.jar attached for $PUBLISHED ($(( $(date +%s) - start )) s)"
