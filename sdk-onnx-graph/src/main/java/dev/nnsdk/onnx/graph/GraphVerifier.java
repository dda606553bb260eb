package dev.nnsdk.onnx.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs two models on the same inputs in ONNX Runtime and compares every float output: the largest absolute difference
 * and the smallest cosine between corresponding rows (last axis).
 */
public final class GraphVerifier {
    private GraphVerifier() {
    }

    /** What a comparison found. */
    public static final class Report {
        public final double maxAbsDiff;
        public final double minCosine;
        public final double meanCosine;

        Report(double maxAbsDiff, double minCosine, double meanCosine) {
            this.maxAbsDiff = maxAbsDiff;
            this.minCosine = minCosine;
            this.meanCosine = meanCosine;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "max |diff| %.3g, row cosine min %.6f mean %.6f",
                    maxAbsDiff, minCosine, meanCosine);
        }
    }

    public static Report compare(byte[] reference, byte[] candidate, List<Map<String, long[][]>> feeds) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = Sessions.options(1);
             OrtSession a = env.createSession(reference, so);
             OrtSession b = env.createSession(candidate, so)) {
            double maxDiff = 0;
            double minCos = 1;
            double sumCos = 0;
            long rows = 0;
            for (Map<String, long[][]> feed : feeds) {
                List<float[]> ra = run(env, a, feed);
                List<float[]> rb = run(env, b, feed);
                for (int o = 0; o < ra.size(); o++) {
                    float[] x = ra.get(o);
                    float[] y = rb.get(o);
                    if (x.length != y.length) {
                        throw new IllegalStateException("Output " + o + " has " + x.length + " values in the original and "
                                + y.length + " in the rewritten model");
                    }
                    for (int i = 0; i < x.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                    }
                    int width = lastDim(a, o);
                    for (int r = 0; r * width < x.length; r++) {
                        double c = cosine(x, y, r * width, width);
                        minCos = Math.min(minCos, c);
                        sumCos += c;
                        rows++;
                    }
                }
            }
            return new Report(maxDiff, minCos, rows == 0 ? 1 : sumCos / rows);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the models to compare them: " + e.getMessage(), e);
        }
    }

    private static int lastDim(OrtSession s, int output) throws OrtException {
        Object info = new ArrayList<ai.onnxruntime.NodeInfo>(s.getOutputInfo().values()).get(output).getInfo();
        long[] shape = ((ai.onnxruntime.TensorInfo) info).getShape();
        long last = shape[shape.length - 1];
        return last > 0 ? (int) last : 1;
    }

    static double cosine(float[] x, float[] y, int from, int n) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = from; i < from + n; i++) {
            xy += (double) x[i] * y[i];
            xx += (double) x[i] * x[i];
            yy += (double) y[i] * y[i];
        }
        return xx == 0 && yy == 0 ? 1 : xy / Math.sqrt(xx * yy);
    }

    /** Every float output of one run, flattened, in output order. */
    public static List<float[]> run(OrtEnvironment env, OrtSession s, Map<String, long[][]> feed) throws OrtException {
        Map<String, OnnxTensor> in = new LinkedHashMap<String, OnnxTensor>();
        try {
            for (Map.Entry<String, long[][]> e : feed.entrySet()) {
                ai.onnxruntime.NodeInfo info = s.getInputInfo().get(e.getKey());
                boolean oneD = info != null && info.getInfo() instanceof ai.onnxruntime.TensorInfo
                        && ((ai.onnxruntime.TensorInfo) info.getInfo()).getShape().length == 1;
                in.put(e.getKey(), oneD ? OnnxTensor.createTensor(env, e.getValue()[0])
                        : OnnxTensor.createTensor(env, e.getValue()));
            }
            List<float[]> out = new ArrayList<float[]>();
            try (OrtSession.Result r = s.run(in)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (e.getValue() instanceof OnnxTensor) {
                        FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                        if (fb != null) {
                            float[] f = new float[fb.remaining()];
                            fb.get(f);
                            out.add(f);
                        }
                    }
                }
            }
            return out;
        } finally {
            for (OnnxTensor t : in.values()) {
                t.close();
            }
        }
    }
}
