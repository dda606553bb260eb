package dev.nnsdk.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes libtorch's OpenMP workers sleep instead of spin when they wait: sets {@code OMP_WAIT_POLICY=PASSIVE}
 * in the process environment (libc {@code setenv}, through JNA) before DJL loads libtorch and its bundled GNU
 * OpenMP, which reads the variable once when it is loaded. Not done when the variable is already set (the
 * user's choice wins) or when {@code -Dnnsdk.djl.ompPassive=false}.
 *
 * <p>Why: by default GNU OpenMP spins for a while at every barrier, and a TorchScript BERT forward has a few
 * hundred of them per call. On a machine whose cores are shared (other processes, or the SDK's own calls side
 * by side) the spinning threads burn the CPU the working ones need: measured on 2 shared cores, one MiniLM call
 * at a time on 2 OpenMP threads cost 49.4 CPU s for 300 IMDB reviews, 12.0 CPU s with {@code PASSIVE}
 * (docs/benchmarks.md, "djl within reach of onnx"). ONNX Runtime's threads are set not to spin for the same
 * reason ({@code nnsdk.onnx.spinning}).
 */
final class OmpWaitPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(OmpWaitPolicy.class);
    static final String VARIABLE = "OMP_WAIT_POLICY";

    private OmpWaitPolicy() {
    }

    /** libc's setenv. */
    interface CLib extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Sets the variable unless set or turned off; returns the value in effect (null when unknown). Never throws. */
    static String apply() {
        String current = System.getenv(VARIABLE);
        if (current != null || "false".equalsIgnoreCase(System.getProperty("nnsdk.djl.ompPassive"))) {
            return current;
        }
        if (Platform.isWindows()) {
            return null;
        }
        try {
            CLib c = Native.load("c", CLib.class);
            if (c.setenv(VARIABLE, "PASSIVE", 0) == 0) {
                return "PASSIVE";
            }
        } catch (Throwable t) {
            LOG.debug("Could not set {}=PASSIVE for libtorch's OpenMP threads: {}", VARIABLE, t.toString());
        }
        return null;
    }
}
