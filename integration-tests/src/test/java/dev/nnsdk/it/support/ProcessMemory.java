package dev.nnsdk.it.support;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of this process, as the soak tests measure it: resident set size from {@code /proc/self/status}
 * and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, the JVM's own committed native
 * memory (heap, metaspace, code cache, threads, GC, ...). Memory that native libraries (ONNX Runtime,
 * libtorch, the tokenizer) allocate with malloc is not tracked by NMT; it is part of RSS, so
 * {@code RSS - NMT committed} estimates it (the heap is pre-touched in the soak JVMs, so it is resident).
 */
public final class ProcessMemory {

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private ProcessMemory() {
    }

    /** Whether {@code /proc/self/status} can be read (Linux). */
    public static boolean available() {
        return Files.isReadable(Paths.get("/proc/self/status"));
    }

    /** This process's resident set size (VmRSS), in kB. */
    public static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/self/status has no VmRSS line");
    }

    /**
     * Committed native memory of the JVM itself according to Native Memory Tracking, in kB, or -1 when
     * the JVM was not started with {@code -XX:NativeMemoryTracking=summary} (or the diagnostic command fails).
     */
    public static long nmtCommittedKb() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(String.valueOf(out));
            return m.find() ? Long.parseLong(m.group(2)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
