package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model id, two engines, raw tensors: mobilenet-v2-nsfw's ONNX file on ONNX Runtime and its
 * TorchScript file on DJL/PyTorch give the same features and probabilities on the same pixels.
 * The pixels are deterministic synthetic images built here (gradients, rings, stripes, blobs,
 * noise); real photos come with the image tests.
 */
class EngineParityImageTest {

    private static final int SIDE = 224;
    private static final int IMAGES = 6;
    private static final double MAX_ABS_DIFF = 1e-4;

    @Test
    void mobileNetFeaturesAndProbsAgreeAcrossEngines() {
        EngineParityAssets.require("models/mobilenet-v2-nsfw/model.torchscript.pt");
        EngineParityAssets.require("models/mobilenet-v2-nsfw/model.onnx");
        ModelDescriptor d = ModelRepository.resolve("mobilenet-v2-nsfw");
        Tensor batch = Tensor.ofFloats("input", images(), IMAGES, SIDE, SIDE, 3);

        List<Tensor> onnx = run(d, "onnx", batch);
        List<Tensor> djl = run(d, "djl", batch);

        for (String name : new String[] {"features", "probs"}) {
            Tensor a = byName(onnx, name);
            Tensor b = byName(djl, name);
            assertArrayEquals(a.shape(), b.shape(), name);
            float[] x = a.toFloatArray();
            float[] y = b.toFloatArray();
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
            System.out.printf("MobileNet %s onnx vs djl: max abs diff %.3g%n", name, max);
            assertTrue(max <= MAX_ABS_DIFF, name + ": max abs diff " + max);
        }
        assertArrayEquals(new long[] {IMAGES, 1280}, byName(djl, "features").shape());
        assertArrayEquals(new long[] {IMAGES, 5}, byName(djl, "probs").shape());
    }

    /** The same code for both engines: only the engine option changes. */
    private static List<Tensor> run(ModelDescriptor d, String engine, Tensor batch) {
        try (EngineModel m = EngineSelection.load(d, ModelOptions.builder().optEngine(engine).build())) {
            assertEquals(engine, m.engineName());
            return m.run(Collections.singletonList(batch));
        }
    }

    private static Tensor byName(List<Tensor> ts, String name) {
        for (Tensor t : ts) {
            if (name.equals(t.name())) {
                return t;
            }
        }
        throw new AssertionError("no output '" + name + "' in " + ts);
    }

    /** NHWC RGB in [0, 1]: six natural-looking 224x224 patterns. */
    static float[] images() {
        float[] px = new float[IMAGES * SIDE * SIDE * 3];
        Random noise = new Random(42);
        for (int n = 0; n < IMAGES; n++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double u = x / (SIDE - 1.0);
                    double v = y / (SIDE - 1.0);
                    double r;
                    double g;
                    double b;
                    switch (n) {
                        case 0: // sky-like vertical gradient over a darker ground
                            r = v < 0.6 ? 0.3 + 0.4 * v : 0.25 + 0.1 * u;
                            g = v < 0.6 ? 0.5 + 0.4 * v : 0.35 + 0.05 * Math.sin(20 * u);
                            b = v < 0.6 ? 0.9 - 0.2 * v : 0.15;
                            break;
                        case 1: // concentric rings
                            double d = Math.hypot(u - 0.5, v - 0.5);
                            r = 0.5 + 0.5 * Math.sin(40 * d);
                            g = 0.5 + 0.5 * Math.cos(25 * d);
                            b = 1 - d;
                            break;
                        case 2: // diagonal stripes
                            double s = Math.sin(30 * (u + v));
                            r = s > 0 ? 0.9 : 0.1;
                            g = 0.5 + 0.3 * s;
                            b = 0.2 + 0.6 * u;
                            break;
                        case 3: // warm blobs, like a face or fruit under soft light
                            double blob = Math.exp(-((u - 0.4) * (u - 0.4) + (v - 0.45) * (v - 0.45)) * 12)
                                    + 0.6 * Math.exp(-((u - 0.75) * (u - 0.75) + (v - 0.7) * (v - 0.7)) * 30);
                            r = Math.min(1, 0.2 + 0.8 * blob);
                            g = Math.min(1, 0.15 + 0.5 * blob);
                            b = 0.1 + 0.2 * blob;
                            break;
                        case 4: // smooth noise: a sum of random low-frequency waves
                            r = 0.5 + 0.25 * Math.sin(7 * u + 3 * v) + 0.2 * Math.sin(13 * v + 1);
                            g = 0.5 + 0.25 * Math.cos(5 * u - 9 * v) + 0.2 * Math.sin(11 * u);
                            b = 0.5 + 0.3 * Math.sin(3 * u * v * 10);
                            break;
                        default: // uniform pixel noise around mid grey
                            r = 0.5 + 0.5 * (noise.nextDouble() - 0.5);
                            g = 0.5 + 0.5 * (noise.nextDouble() - 0.5);
                            b = 0.5 + 0.5 * (noise.nextDouble() - 0.5);
                    }
                    int at = ((n * SIDE + y) * SIDE + x) * 3;
                    px[at] = clamp(r);
                    px[at + 1] = clamp(g);
                    px[at + 2] = clamp(b);
                }
            }
        }
        return px;
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }
}
