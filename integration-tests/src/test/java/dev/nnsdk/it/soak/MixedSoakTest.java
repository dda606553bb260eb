package dev.nnsdk.it.soak;

import dev.nnsdk.SdkSettings;
import dev.nnsdk.it.EngineParityAssets;
import dev.nnsdk.it.support.ChildJvm;
import dev.nnsdk.it.support.ProcessMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short form of the mixed soak ({@link MixedSoak}) in CI: per engine, a child JVM with a fixed,
 * pre-touched heap and Native Memory Tracking, 16 threads, 5,000 requests, the measured phase bounded
 * to {@code soak.maxSeconds} (20 s). Every answer is checked against a serial run; no request fails
 * except cancelled or interrupted ones; VmRSS grows less than 10% after the warm-up on either engine
 * (the goal is 5%; VmRSS at rest, see {@code MixedSoak.settledRssKb}). Until issue 17 the djl bound had to be 30%:
 * malloc's memory in use grew with the threads that called libtorch (+13.5% over 2,600 requests, 167 MB more in use);
 * the djl engine now runs every call on its own few call threads ({@code CallThreads}; the same run -5.7%, in use
 * flat), and both engines are held to 10% (docs/reliability.md, "Soak"). The djl engine also
 * now trims the native heap every 2 s ({@code nnsdk.djl.trimSeconds}). The long form is
 * {@code scripts/soak.sh} (docs/reliability.md). {@code -Dsoak.requests=...} and the other
 * {@code soak.*} properties are passed on to the child.
 */
class MixedSoakTest {

    /** JVM options of the soak child: resident memory must not move with the heap, so the heap is fixed and touched. */
    static final List<String> CHILD_JVM = Collections.unmodifiableList(Arrays.asList(
            "-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary"));

    /**
     * The child's environment: glibc's allocator as a service gets it (no {@code MALLOC_ARENA_MAX}). The djl engine
     * bounds its native threads itself ({@code CallThreads}: every libtorch call runs on a few engine threads), so the
     * bound no longer rests on an environment variable (docs/reliability.md, "Soak"). {@code -Dsoak.mallocArenaMax=N}
     * sets the variable anyway, to compare.
     */
    static java.util.Map<String, String> soakEnv() {
        String arenas = System.getProperty("soak.mallocArenaMax", "");
        return arenas.isEmpty() ? Collections.<String, String>emptyMap()
                : Collections.singletonMap("MALLOC_ARENA_MAX", arenas);
    }

    private static final Pattern SERVED = Pattern.compile("SOAK engine=\\S+ .* served=(\\d+) failures=0 wrong=0 ");

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void sixteenThreadsShareOnePredictorPerEngine(String engine) throws Exception {
        EngineParityAssets.require("models/mobilenet-v2-nsfw/model.onnx");
        if (engine.equals("djl")) {
            EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
            EngineParityAssets.require("models/mobilenet-v2-nsfw/model.torchscript.pt");
        }
        Assumptions.assumeTrue(ProcessMemory.available(), "needs Linux /proc for VmRSS");
        List<String> jvm = new ArrayList<String>(CHILD_JVM);
        jvm.add("-Dsoak.engines=" + engine);
        jvm.add("-Dsoak.requests=" + System.getProperty("soak.requests", "5000"));
        jvm.add("-Dsoak.maxSeconds=" + System.getProperty("soak.maxSeconds", "20"));
        // docs/reliability.md, "Soak": 10% on both engines. djl was loosened to 30% in session 3 (+21.3% / +18.9%): the
        // memory malloc had in use grew with the threads that called libtorch (32 here); every djl call now runs on the
        // engine's own call threads (CallThreads), which bounds it by construction.
        String bound = "0.10";
        jvm.add("-Dsoak.maxGrowth=" + System.getProperty("soak.maxGrowth", bound));
        for (String p : Arrays.asList("soak.threads", "soak.seed", "soak.dumpDir", "nnsdk.djl.callThreads", "nnsdk.djl.trimSeconds",
                SdkSettings.ASSETS_PROPERTY)) {
            if (System.getProperty(p) != null && !System.getProperty(p).isEmpty()) {
                jvm.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        ChildJvm.Result r = ChildJvm.run(jvm, soakEnv(), MixedSoak.class, Collections.<String>emptyList(), 600, true);
        assertTrue(!r.timedOut(), engine + " soak did not end within 600 s:\n" + r.output());
        assertEquals(0, r.exitCode(), engine + " soak failed:\n" + r.output());
        Matcher m = SERVED.matcher(r.output());
        assertTrue(m.find() && r.output().contains("result=PASS"), r.output());
        int served = Integer.parseInt(m.group(1));
        assertTrue(served >= 400, engine + ": only " + served + " requests served before the deadline:\n" + r.output());
    }
}
