package dev.nnsdk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine a benchmark ran on, and its theoretical fp32 peak:
 * {@code cores x fp32 FMA lanes per cycle x 2 FLOP per FMA x clock}.
 *
 * <p>Lanes per cycle come from the CPU flags and vendor in {@code /proc/cpuinfo}: AMD Zen (family
 * 0x17 and later) has two 256-bit FMA pipes = 16 fp32 lanes/cycle, with or without AVX-512 (Zen 4
 * runs 512-bit FMAs as two 256-bit halves); Intel with AVX-512 is taken as two 512-bit FMA ports =
 * 32 lanes (server parts; one-port parts reach half); AVX2+FMA as two 256-bit ports = 16; plain AVX
 * (no FMA) as one 256-bit add + one 256-bit multiply = 8 FMA-equivalent lanes. The clock is the
 * "cpu MHz" line (in a VM this is the nominal clock; turbo is not counted).
 */
public final class Machine {
    private final String cpuModel;
    private final String vendor;
    private final int cpuFamily;
    private final int cores;
    private final double mhz;
    private final Set<String> flags;
    private final double[] loadAverage;

    Machine(String cpuModel, String vendor, int cpuFamily, int cores, double mhz, Set<String> flags, double[] loadAverage) {
        this.cpuModel = cpuModel;
        this.vendor = vendor;
        this.cpuFamily = cpuFamily;
        this.cores = cores;
        this.mhz = mhz;
        this.flags = flags;
        this.loadAverage = loadAverage;
    }

    /** Reads /proc/cpuinfo and /proc/loadavg (Linux); elsewhere fills what the JVM knows. */
    public static Machine current() {
        int cores = Runtime.getRuntime().availableProcessors();
        String text = read(Paths.get("/proc/cpuinfo"));
        double[] load = new double[] {-1, -1, -1};
        String la = read(Paths.get("/proc/loadavg"));
        if (!la.isEmpty()) {
            String[] p = la.trim().split("\\s+");
            for (int i = 0; i < 3 && i < p.length; i++) {
                load[i] = Double.parseDouble(p[i]);
            }
        }
        return parse(text, cores, load);
    }

    static Machine parse(String cpuinfo, int cores, double[] load) {
        String model = System.getProperty("os.arch");
        String vendor = "";
        int family = -1;
        double mhz = -1;
        Set<String> flags = new HashSet<String>();
        boolean seenModel = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && !seenModel) {
                model = value;
                seenModel = true;
            } else if (key.equals("vendor_id") && vendor.isEmpty()) {
                vendor = value;
            } else if (key.equals("cpu family") && family < 0) {
                family = Integer.parseInt(value);
            } else if (key.equals("cpu MHz") && mhz < 0) {
                mhz = Double.parseDouble(value);
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        return new Machine(model, vendor, family, cores, mhz, flags, load);
    }

    public boolean hasAvx512() {
        return flags.contains("avx512f");
    }

    public boolean hasAvx2() {
        return flags.contains("avx2");
    }

    public boolean hasFma() {
        return flags.contains("fma");
    }

    public boolean hasVnni() {
        return flags.contains("avx512_vnni") || flags.contains("avx_vnni");
    }

    /** fp32 FMA lanes one core retires per cycle (see the class comment for the rule). */
    public int fp32FmaLanesPerCycle() {
        boolean amdZen = vendor.equals("AuthenticAMD") && cpuFamily >= 0x17;
        if (amdZen && hasFma()) {
            return 16;
        }
        if (hasAvx512()) {
            return 32;
        }
        if (hasAvx2() && hasFma()) {
            return 16;
        }
        if (flags.contains("avx")) {
            return 8;
        }
        return 4;
    }

    /** Theoretical fp32 peak in GFLOP/s, or -1 when the clock is unknown. */
    public double fp32PeakGflops() {
        return mhz <= 0 ? -1 : cores * fp32FmaLanesPerCycle() * 2.0 * mhz / 1000.0;
    }

    /** The CPU's model name, as {@code lscpu} prints it. */
    public String cpuModel() {
        return cpuModel;
    }

    /** How {@link #fp32PeakGflops()} was derived, in words. */
    public String peakDerivation() {
        boolean amdZen = vendor.equals("AuthenticAMD") && cpuFamily >= 0x17;
        String why = amdZen && hasFma() ? "AMD Zen (family " + cpuFamily + "): 2 x 256-bit FMA pipes"
                + (hasAvx512() ? " (AVX-512 present, executed as 2 x 256-bit)" : "")
                : hasAvx512() ? "AVX-512: assumed 2 x 512-bit FMA ports" : hasAvx2() && hasFma() ? "AVX2+FMA: 2 x 256-bit FMA ports"
                : "no FMA";
        return String.format(java.util.Locale.ROOT, "%d cores x %d fp32 lanes/cycle (%s) x 2 FLOP/FMA x %.0f MHz = %.1f GFLOP/s",
                cores, fp32FmaLanesPerCycle(), why, mhz, fp32PeakGflops());
    }

    /** A JSON-ready description. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("cpu", cpuModel);
        m.put("vendor", vendor);
        m.put("cores", cores);
        m.put("mhz", mhz);
        m.put("avx512", hasAvx512());
        m.put("avx2", hasAvx2());
        m.put("fma", hasFma());
        m.put("vnni", hasVnni());
        m.put("fp32FmaLanesPerCycle", fp32FmaLanesPerCycle());
        m.put("fp32PeakGflops", round(fp32PeakGflops(), 1));
        m.put("peakDerivation", peakDerivation());
        m.put("loadAverage", Arrays.asList(loadAverage[0], loadAverage[1], loadAverage[2]));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return m;
    }

    /** The current 1-minute load average (or -1). */
    public static double loadNow() {
        String la = read(Paths.get("/proc/loadavg"));
        return la.isEmpty() ? -1 : Double.parseDouble(la.trim().split("\\s+")[0]);
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String read(Path p) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return String.join("\n", lines);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
