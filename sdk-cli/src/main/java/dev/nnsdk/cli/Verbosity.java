package dev.nnsdk.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * How much the CLI logs. By default warnings and errors only, one line each on stderr ({@code simplelogger.properties});
 * {@code --verbose} anywhere on the command line, or {@code SDK_DEBUG=1}, adds INFO/DEBUG lines of the SDK and the
 * engines (DJL, its CUDA probe). Applied before the first logger is created.
 */
final class Verbosity {
    static final String FLAG = "--verbose";

    /** Whether the last {@link #apply} asked for verbose output (errors then print their stack trace). */
    static volatile boolean on;

    private Verbosity() {
    }

    /** Sets the log levels and returns {@code args} without {@code --verbose}. */
    static String[] apply(String[] args) {
        List<String> rest = new ArrayList<String>(args.length);
        boolean verbose = System.getenv("SDK_DEBUG") != null;
        boolean endOfOptions = false;
        for (String a : args) {
            if (!endOfOptions && FLAG.equals(a)) {
                verbose = true;
            } else {
                endOfOptions |= "--".equals(a);
                rest.add(a);
            }
        }
        on = verbose;
        if (verbose) {
            // System properties win over simplelogger.properties.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.dev.nnsdk", "debug");
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "debug");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
        }
        return rest.toArray(new String[0]);
    }
}
