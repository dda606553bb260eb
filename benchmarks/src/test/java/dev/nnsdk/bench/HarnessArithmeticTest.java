package dev.nnsdk.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HarnessArithmeticTest {

    private static final String ZEN4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
            + "model name\t: AMD EPYC\ncpu MHz\t\t: 2596.144\nflags\t\t: fpu sse2 avx fma avx2 avx512f avx512_vnni\n\n"
            + "processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2596.144\n";

    @Test
    void zen4PeakCountsTwo256BitFmaPipes() {
        Machine m = Machine.parse(ZEN4, 2, new double[] {1, 1, 1});
        assertTrue(m.hasAvx512());
        assertTrue(m.hasVnni());
        assertEquals(16, m.fp32FmaLanesPerCycle());
        assertEquals(2 * 16 * 2 * 2.596144, m.fp32PeakGflops(), 1e-6);
        assertTrue(m.peakDerivation().contains("2 x 256-bit"), m.peakDerivation());
    }

    @Test
    void intelAvx512AndAvx2() {
        String intel512 = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel name\t: Xeon\ncpu MHz\t\t: 2000.0\n"
                + "flags\t\t: avx fma avx2 avx512f\n";
        assertEquals(32, Machine.parse(intel512, 4, new double[3]).fp32FmaLanesPerCycle());
        assertEquals(4 * 32 * 2 * 2.0, Machine.parse(intel512, 4, new double[3]).fp32PeakGflops(), 1e-9);
        String intel2 = "vendor_id\t: GenuineIntel\ncpu family\t: 6\ncpu MHz\t\t: 3000.0\nflags\t\t: avx fma avx2\n";
        assertEquals(16, Machine.parse(intel2, 1, new double[3]).fp32FmaLanesPerCycle());
    }

    @Test
    void bertFlopsMatchTheFormula() {
        BertFlops f = BertFlops.forModel("all-minilm-l6-v2");
        // 6 * (8*L*384^2 + 4*L*384*1536 + 4*L^2*384) at L = 10
        double expected = 6 * (8 * 10 * 384.0 * 384 + 4 * 10 * 384.0 * 1536 + 4 * 100 * 384.0);
        assertEquals(expected, f.flops(10), 1e-3);
        assertEquals(2 * expected, f.flops(new int[] {10, 10}), 1e-3);
        assertEquals(21.2e6, f.flops(1000) / 1000 - 9216 * 1000, 0.1e6);
    }

    @Test
    void percentilesAndMedian() {
        double[] s = {5, 1, 4, 2, 3};
        assertEquals(3, Stats.median(s), 0);
        assertEquals(5, Stats.percentile(s, 99), 0);
        assertEquals(1, Stats.percentile(s, 1), 0);
        assertEquals(2.5, Stats.median(new double[] {1, 2, 3, 4}), 0);
    }
}
