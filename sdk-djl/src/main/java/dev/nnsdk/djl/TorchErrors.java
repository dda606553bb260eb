package dev.nnsdk.djl;

import java.util.Locale;

/** Turns libtorch's long error texts (C++ and TorchScript tracebacks) into one readable line. */
final class TorchErrors {

    private static final int MAX = 400;

    private TorchErrors() {
    }

    /** The line that says what failed, without the traceback; at most 400 characters. */
    static String summary(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.trim().isEmpty()) {
            return t.getClass().getSimpleName();
        }
        String best = null;
        for (String line : m.split("\n")) {
            String l = line.trim();
            int at = l.indexOf("RuntimeError: ");
            if (at >= 0) {
                best = l.substring(at + "RuntimeError: ".length());
            } else if (best == null && !l.isEmpty() && !l.startsWith("Exception raised from")
                    && !l.startsWith("frame #")) {
                best = l;
            }
        }
        if (best == null) {
            best = m.trim();
        }
        return best.length() > MAX ? best.substring(0, MAX) + "..." : best;
    }

    /** Whether the failure is the machine's (memory, device), not the inputs'. */
    static boolean isResourceFailure(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("cuda") || m.contains("cudnn")
                || m.contains("defaultcpuallocator");
    }
}
