package dev.nnsdk.djl.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which parameters of a Keras-named MobileNetV2 TorchScript module ({@code p.block_16_expand__kernel}, ...; the zoo's
 * layout) {@code last:N} / {@code all} train: blocks are the inverted-residual blocks ({@code expanded_conv} = block 0,
 * {@code block_1} .. {@code block_16}), the final 1x1 convolution {@code Conv_1} trains with the top blocks, the stem
 * {@code Conv1} only with {@code all}; running statistics and the module's own dense head never.
 */
class ImageBlockSelectionTest {

    static List<String> names() {
        List<String> n = new ArrayList<String>();
        conv(n, "p.Conv1__kernel", "p.bn_Conv1");
        conv(n, "p.expanded_conv_depthwise__depthwise_kernel", "p.expanded_conv_depthwise_BN");
        conv(n, "p.expanded_conv_project__kernel", "p.expanded_conv_project_BN");
        for (int b = 1; b <= 16; b++) {
            conv(n, "p.block_" + b + "_expand__kernel", "p.block_" + b + "_expand_BN");
            conv(n, "p.block_" + b + "_depthwise__depthwise_kernel", "p.block_" + b + "_depthwise_BN");
            conv(n, "p.block_" + b + "_project__kernel", "p.block_" + b + "_project_BN");
        }
        conv(n, "p.Conv_1__kernel", "p.Conv_1_bn");
        for (int d = 1; d <= 3; d++) {
            n.add("p.dense_" + d + "__kernel");
            n.add("p.dense_" + d + "__bias");
        }
        return n;
    }

    private static void conv(List<String> n, String kernel, String bn) {
        n.add(kernel);
        for (String s : new String[] {"__moving_mean", "__moving_variance", "__gamma", "__beta"}) {
            n.add(bn + s);
        }
    }

    static List<String> trained(String selection, boolean trainBatchNorm) {
        List<String> chosen = TorchScriptClassifier.select(names(), selection);
        chosen.removeIf(n -> !TorchScriptClassifier.trainable(n, true, trainBatchNorm));
        return chosen;
    }

    @Test
    void lastNIsTheTopInvertedResidualBlocksPlusTheFinalConvolution() {
        List<String> last1 = trained("last:1", true);
        assertEquals(12, last1.size(), last1.toString());
        for (String n : last1) {
            assertTrue(n.startsWith("p.block_16_") || n.startsWith("p.Conv_1_"), n);
            assertFalse(n.contains("moving_"), n);
        }
        assertTrue(last1.contains("p.Conv_1__kernel") && last1.contains("p.Conv_1_bn__gamma"));
        List<String> last2 = trained("last:2", true);
        assertEquals(21, last2.size());
        assertTrue(last2.contains("p.block_15_depthwise__depthwise_kernel"));
        List<String> last17 = trained("last:17", true);
        assertTrue(last17.contains("p.expanded_conv_project__kernel"), "expanded_conv is block 0");
        assertFalse(last17.contains("p.Conv1__kernel"), "the stem trains with all only");
    }

    @Test
    void allLeavesOutRunningStatisticsAndTheModulesOwnHeadAndFrozenBatchNormKeepsScaleAndShift() {
        List<String> all = trained("all", true);
        assertEquals(52 * 3, all.size(), "52 convolutions, each kernel + gamma + beta");
        assertTrue(all.contains("p.Conv1__kernel") && all.contains("p.bn_Conv1__beta"));
        for (String n : all) {
            assertFalse(n.contains("dense_") || n.contains("moving_"), n);
        }
        List<String> frozen = trained("all", false);
        assertEquals(52, frozen.size(), "kernels only: " + frozen);
        for (String n : frozen) {
            assertTrue(n.endsWith("kernel"), n);
        }
    }
}
