package dev.nnsdk.it.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a child JVM (same java, same class path), collecting
 * its merged stdout and stderr; kills it when it outlives the timeout. Used where a test must own a
 * whole JVM: exit behaviour (LifecycleTest) and resident memory (the soak tests).
 *
 * <pre>{@code
 * ChildJvm.Result r = ChildJvm.run(Arrays.asList("-Xmx512m"), MyMain.class, Arrays.asList("arg"), 120);
 * assertEquals(0, r.exitCode(), r.output());
 * }</pre>
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** What the child did. {@code exitCode} is -1 when it was killed after the timeout. */
    public static final class Result {
        private final boolean timedOut;
        private final int exitCode;
        private final String output;

        Result(boolean timedOut, int exitCode, String output) {
            this.timedOut = timedOut;
            this.exitCode = exitCode;
            this.output = output;
        }

        public boolean timedOut() {
            return timedOut;
        }

        public int exitCode() {
            return exitCode;
        }

        public String output() {
            return output;
        }
    }

    /**
     * Starts {@code java <jvmArgs> -cp <test class path> <main> <args>} and waits up to {@code timeoutSeconds}.
     * With {@code echo}, the child's lines are also printed to this process's stdout as they arrive.
     */
    public static Result run(List<String> jvmArgs, Class<?> main, List<String> args, long timeoutSeconds, boolean echo)
            throws IOException, InterruptedException {
        return run(jvmArgs, java.util.Collections.<String, String>emptyMap(), main, args, timeoutSeconds, echo);
    }

    /** As {@link #run(List, Class, List, long, boolean)}, with {@code env} added to the child's environment. */
    public static Result run(List<String> jvmArgs, java.util.Map<String, String> env, Class<?> main, List<String> args,
                             long timeoutSeconds, boolean echo) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<String>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(jvmArgs);
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (echo) {
                        System.out.println("  [" + main.getSimpleName() + "] " + line);
                    }
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-jvm-output");
        reader.start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(5000);
        synchronized (out) {
            return new Result(!ended, ended ? p.exitValue() : -1, out.toString());
        }
    }
}
