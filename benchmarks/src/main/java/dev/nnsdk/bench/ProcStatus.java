package dev.nnsdk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Resident memory of this process from /proc/self/status (Linux), in MiB; -1 elsewhere. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** Peak resident set size (VmHWM). */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    /** Current resident set size (VmRSS). */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    String[] p = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(p[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
