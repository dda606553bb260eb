package dev.nnsdk.bench.image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The same work as the SDK's image classifier on ONNX Runtime, written against the ONNX Runtime
 * Java API: same model file, same session options as the SDK's {@code OnnxEngine} (ALL_OPT,
 * sequential, 1 inter-op thread, N intra-op threads, no spinning), one session call per batch on a
 * direct float buffer, the scores output read by name, softmax when the model gives logits.
 * Preprocessing uses the SDK's {@link ImagePreprocessor} on purpose: the comparison isolates what
 * the SDK adds around the engine, not a second resize implementation.
 */
public final class RawOrtImageContender implements ImageContender {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ImagePreprocessor pre;
    private final ImageSpec spec;
    private final String inputName;
    private final int batchSize;

    public RawOrtImageContender(ModelDescriptor d, int threads, int batchSize) {
        Artifact onnx = d.artifacts().get(ModelFormat.ONNX);
        if (onnx == null || d.image() == null) {
            throw new IllegalArgumentException("Model '" + d.id() + "' has no ONNX image artifact for the raw comparison");
        }
        this.spec = d.image();
        this.pre = new ImagePreprocessor(spec);
        this.batchSize = batchSize;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(onnx.path().toString(), so);
            this.inputName = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalStateException("raw ORT: cannot load " + onnx.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "raw-ort";
    }

    @Override
    public List<float[]> probabilities(List<Image> images) {
        List<float[]> out = new ArrayList<float[]>(images.size());
        for (int start = 0; start < images.size(); start += batchSize) {
            List<Image> batch = images.subList(start, Math.min(images.size(), start + batchSize));
            int n = batch.size();
            FloatBuffer buf = ByteBuffer.allocateDirect(n * pre.valuesPerImage() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (Image im : batch) {
                pre.apply(im, buf);
            }
            ((java.nio.Buffer) buf).flip();
            try (OnnxTensor in = OnnxTensor.createTensor(env, buf, pre.shape(n));
                 OrtSession.Result r = session.run(Collections.singletonMap(inputName, in),
                         Collections.singleton(spec.scoresOutput()))) {
                float[][] scores = (float[][]) r.get(0).getValue();
                for (float[] s : scores) {
                    out.add(spec.scoresAreLogits() ? dev.nnsdk.format.HeadWeights.softmax(s) : s);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("raw ORT: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
