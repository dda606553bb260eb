package dev.nnsdk.onnx.graph.quant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The integer types of a static int8 file: which of ONNX Runtime's integer GEMM kernels it runs on, and so whether
 * its results are exact on a given CPU.
 *
 * <ul>
 *   <li>{@link #S8S8}: int8 activations (asymmetric) x int8 weights (symmetric, per channel, full range -127..127).
 *   The fastest on CPUs with VNNI ({@code avx512_vnni}, {@code avx_vnni}) or AMX, and on ARM64. <b>On x86 CPUs
 *   without VNNI</b> (AVX2-only or AVX-512 without VNNI: AMD Zen 1-3, Intel before Cascade Lake) ONNX Runtime's
 *   kernel multiplies pairs of bytes into a 16-bit sum that saturates ({@code vpmaddubsw}), and such a file gives
 *   silently different results there (measured on an AMD EPYC Zen 3: a one-MatMul graph off by 6.1 on outputs up to
 *   29; MiniLM's sentence vectors min cosine 0.979 to fp32 instead of 0.982).</li>
 *   <li>{@link #U8U8}: uint8 activations x uint8 weights (zero point 128): a 16-bit multiply-add that cannot
 *   saturate, exact on every CPU, 10-20 % slower than S8S8 on an AVX2 machine (docs/benchmarks.md).</li>
 * </ul>
 *
 * {@link #forThisCpu()} picks S8S8 where it is exact and U8U8 elsewhere; a file meant for other machines should be
 * written as U8U8 (exact everywhere) or S8S8 only for VNNI/AMX/ARM64 targets.
 */
public enum QuantFormat {
    S8S8, U8U8;

    /** S8S8 when this CPU's integer kernels are exact for it (VNNI, AMX, ARM64), otherwise U8U8. */
    public static QuantFormat forThisCpu() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return forCpu(arch, cpuFlags(Paths.get("/proc/cpuinfo")));
    }

    /** The choice for a CPU of architecture {@code arch} (Java's os.arch) with the given /proc/cpuinfo flags. */
    public static QuantFormat forCpu(String arch, Set<String> flags) {
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.startsWith("i386")
                || arch.startsWith("i686");
        if (!x86) {
            return arch.equals("aarch64") || arch.equals("arm64") ? S8S8 : U8U8;
        }
        boolean exact = flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("amx_int8");
        return exact ? S8S8 : U8U8;
    }

    /** Parses {@code s8s8}, {@code u8u8} or {@code auto} (= {@link #forThisCpu()}). */
    public static QuantFormat parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return forThisCpu();
        }
        for (QuantFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown int8 format '" + s + "': use auto, s8s8 or u8u8");
    }

    boolean unsigned() {
        return this == U8U8;
    }

    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : new String(Files.readAllBytes(cpuinfo), StandardCharsets.UTF_8).split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                    return new HashSet<String>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: no flags known, so the exact choice
        }
        return new HashSet<String>();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
