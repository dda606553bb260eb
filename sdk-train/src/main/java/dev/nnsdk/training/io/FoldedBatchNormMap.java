package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a TorchScript image backbone's convolutions live in an ONNX graph whose exporter folded each BatchNorm into the
 * preceding convolution (the zoo's MobileNetV2: {@code torch.onnx.export} drops the BatchNorm nodes and their names).
 * Each TorchScript convolution kernel {@code K} (Keras names {@code X__kernel} / {@code X__depthwise_kernel}) is paired
 * by name with its BatchNorm ({@code X_BN__gamma}, {@code X_bn__gamma} or {@code bn_X__gamma}, with {@code __beta},
 * {@code __moving_mean}, {@code __moving_variance}), and by graph order with the ONNX {@code Conv} nodes (kernels in
 * module order = Conv nodes in topological order); its folded weights are
 * {@code W' = K * gamma / sqrt(var + eps)} and {@code b' = beta - mean * gamma / sqrt(var + eps)}.
 *
 * <p>{@link #build} checks the map on the UNTRAINED pair: every Conv's weight and bias initializers must equal the
 * folded TorchScript values to within float rounding (max abs difference at most 1e-4 of the tensor's largest
 * magnitude, with {@code eps} = 1e-3 (Keras) or 1e-5 (PyTorch), whichever fits), every Conv must be matched, and every
 * TorchScript parameter the map does not cover must be one training leaves unchanged ({@link #apply} checks it);
 * otherwise it is an {@link InvalidInputException} naming the first mismatch, and nothing is exported.
 *
 * <pre>{@code
 * FoldedBatchNormMap map = FoldedBatchNormMap.build(onnx, untrainedParams, shapes);   // refuses if not exact
 * ModelProto trained = map.apply(onnx, trainedParams);
 * }</pre>
 */
final class FoldedBatchNormMap {
    private static final double[] EPSILONS = {1e-3, 1e-5};
    /** Largest accepted |folded - initializer| relative to the tensor's largest magnitude (float32 rounding is ~1e-7). */
    private static final double TOLERANCE = 1e-4;

    /** One convolution: its TorchScript kernel and BatchNorm names, its ONNX weight and bias initializers. */
    private static final class Conv {
        final String kernel;
        final String bn;
        final String weight;
        final String bias;

        Conv(String kernel, String bn, String weight, String bias) {
            this.kernel = kernel;
            this.bn = bn;
            this.weight = weight;
            this.bias = bias;
        }
    }

    private final List<Conv> convs;
    private final double eps;
    private final Map<String, float[]> uncovered;
    /** The largest relative difference the untrained check found (for the log and the tests). */
    final double maxRelativeDifference;

    private FoldedBatchNormMap(List<Conv> convs, double eps, Map<String, float[]> uncovered, double maxRelativeDifference) {
        this.convs = convs;
        this.eps = eps;
        this.uncovered = uncovered;
        this.maxRelativeDifference = maxRelativeDifference;
    }

    /** Whether the parameters look like convolutions with separate BatchNorm layers (this map's layout). */
    static boolean applies(Map<String, float[]> params) {
        for (String n : params.keySet()) {
            if (n.endsWith("__moving_variance") || n.endsWith("running_var")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param params the untrained TorchScript parameters by name, in module order (as sdk-djl lists them)
     * @param shapes their shapes
     */
    static FoldedBatchNormMap build(ModelProto onnx, Map<String, float[]> params, Map<String, long[]> shapes) {
        List<String> kernels = new ArrayList<String>();
        Map<String, String> bnOf = new HashMap<String, String>();
        for (String n : params.keySet()) {
            if (n.endsWith("__kernel") || n.endsWith("__depthwise_kernel")) {
                if (shapes.get(n).length != 4) {
                    continue;    // a dense layer's kernel
                }
                String bn = batchNormOf(n, params);
                if (bn == null) {
                    throw refuse("convolution " + n + " has no BatchNorm named like it (X_BN__gamma, X_bn__gamma or "
                            + "bn_X__gamma)");
                }
                kernels.add(n);
                bnOf.put(n, bn);
            }
        }
        Map<String, float[]> inits = new HashMap<String, float[]>();
        for (TensorProto t : onnx.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                inits.put(t.getName(), BackboneWeightMap.floats(t));
            }
        }
        List<NodeProto> nodes = new ArrayList<NodeProto>();
        for (NodeProto n : onnx.getGraph().getNodeList()) {
            if ("Conv".equals(n.getOpType())) {
                nodes.add(n);
            }
        }
        if (nodes.size() != kernels.size()) {
            throw refuse("the ONNX graph has " + nodes.size() + " Conv nodes, the TorchScript module "
                    + kernels.size() + " convolutions with BatchNorm");
        }
        String bestError = null;
        int furthest = -1;
        for (double eps : EPSILONS) {
            List<Conv> convs = new ArrayList<Conv>();
            double worst = 0;
            String error = null;
            int i = 0;
            for (; i < nodes.size() && error == null; i++) {
                NodeProto node = nodes.get(i);
                String k = kernels.get(i);
                if (node.getInputCount() < 3 || !inits.containsKey(node.getInput(1)) || !inits.containsKey(node.getInput(2))) {
                    error = "ONNX Conv node " + node.getName() + " (number " + (i + 1) + ") has no weight and bias initializers";
                    break;
                }
                Conv c = new Conv(k, bnOf.get(k), node.getInput(1), node.getInput(2));
                float[][] folded = fold(c, params, shapes.get(k), eps);
                double dw = relativeDifference(folded[0], inits.get(c.weight));
                double db = relativeDifference(folded[1], inits.get(c.bias));
                if (!(dw <= TOLERANCE && db <= TOLERANCE)) {
                    error = "TorchScript convolution " + k + " + " + c.bn + " folded (eps " + eps + ") differs from ONNX Conv "
                            + node.getName() + " (number " + (i + 1) + "): relative difference " + Math.max(dw, db);
                }
                worst = Math.max(worst, Math.max(dw, db));
                convs.add(c);
            }
            if (error == null) {
                Map<String, float[]> uncovered = new LinkedHashMap<String, float[]>(params);
                for (Conv c : convs) {
                    uncovered.remove(c.kernel);
                    for (String s : new String[] {"__gamma", "__beta", "__moving_mean", "__moving_variance"}) {
                        uncovered.remove(c.bn + s);
                    }
                }
                return new FoldedBatchNormMap(convs, eps, uncovered, worst);
            }
            if (i > furthest) {      // report the epsilon that matched the most convolutions
                furthest = i;
                bestError = error;
            }
        }
        throw refuse(bestError);
    }

    private static InvalidInputException refuse(String why) {
        return new InvalidInputException("Cannot export the trained image backbone to ONNX: the ONNX file folded "
                + "BatchNorm into its convolutions, and mapping the TorchScript parameters onto it is not exact: " + why
                + ". Use the saved model on the djl engine instead");
    }

    /** The BatchNorm prefix of a Keras convolution kernel name, or {@code null}. */
    private static String batchNormOf(String kernel, Map<String, float[]> params) {
        String pre = kernel.substring(0, kernel.lastIndexOf("__"));
        int dot = pre.lastIndexOf('.') + 1;
        String[] candidates = {pre + "_BN", pre + "_bn", pre.substring(0, dot) + "bn_" + pre.substring(dot)};
        if (kernel.endsWith("__depthwise_kernel")) {
            // Keras: block_1_depthwise__depthwise_kernel -> block_1_depthwise_BN
            candidates = new String[] {pre + "_BN", pre + "_bn"};
        }
        String found = null;
        for (String c : candidates) {
            if (params.containsKey(c + "__gamma") && params.containsKey(c + "__beta")
                    && params.containsKey(c + "__moving_mean") && params.containsKey(c + "__moving_variance")) {
                if (found != null) {
                    return null;
                }
                found = c;
            }
        }
        return found;
    }

    /** {W', b'} of one convolution + BatchNorm, computed in double precision. */
    private static float[][] fold(Conv c, Map<String, float[]> p, long[] kernelShape, double eps) {
        float[] k = p.get(c.kernel);
        float[] gamma = p.get(c.bn + "__gamma");
        float[] beta = p.get(c.bn + "__beta");
        float[] mean = p.get(c.bn + "__moving_mean");
        float[] var = p.get(c.bn + "__moving_variance");
        int out = (int) kernelShape[0];
        if (gamma.length != out || beta.length != out || mean.length != out || var.length != out) {
            throw refuse("BatchNorm " + c.bn + " has " + gamma.length + " channels, convolution " + c.kernel + " " + out);
        }
        int per = k.length / out;
        float[] w = new float[k.length];
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            double s = gamma[o] / Math.sqrt(var[o] + eps);
            for (int j = 0; j < per; j++) {
                w[o * per + j] = (float) (k[o * per + j] * s);
            }
            b[o] = (float) (beta[o] - mean[o] * s);
        }
        return new float[][] {w, b};
    }

    /** max |a - b| / max(1e-12, max |b|); infinity when the sizes differ. */
    private static double relativeDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    /** How many ONNX convolutions the map covers. */
    int size() {
        return convs.size();
    }

    /**
     * A copy of {@code onnx} whose Conv initializers hold the folded {@code trained} values; refuses when a parameter the
     * map does not cover (e.g. a module's own dense head) changed in training.
     */
    ModelProto apply(ModelProto onnx, Map<String, float[]> trained, Map<String, long[]> shapes) {
        for (Map.Entry<String, float[]> e : uncovered.entrySet()) {
            if (!Arrays.equals(e.getValue(), trained.get(e.getKey()))) {
                throw refuse("trained parameter " + e.getKey() + " has no place in the ONNX graph");
            }
        }
        Map<String, float[]> byInit = new HashMap<String, float[]>();
        for (Conv c : convs) {
            float[][] folded = fold(c, trained, shapes.get(c.kernel), eps);
            byInit.put(c.weight, folded[0]);
            byInit.put(c.bias, folded[1]);
        }
        return BackboneWeightMap.withInitializers(onnx, byInit);
    }
}
