package dev.nnsdk.bench.image;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The same work as the SDK's image classifier on DJL, written against DJL: {@link Criteria} on the
 * same TorchScript file (PyTorch, CPU, {@code mapLocation}), one {@link Predictor} and a
 * {@link NoBatchifyTranslator} that preprocesses a batch with the SDK's {@link ImagePreprocessor}
 * (on purpose, so that only the engine wrapping differs), picks the scores output by its position in
 * the descriptor's output names and applies softmax on the NDArray when the model gives logits.
 * Thread settings as the SDK's djl engine (intra-op threads when {@code threads > 0}, graph optimiser off).
 */
public final class RawDjlImageContender implements ImageContender {
    private final ZooModel<Image[], float[][]> model;
    private final Predictor<Image[], float[][]> predictor;
    private final int batchSize;

    public RawDjlImageContender(ModelDescriptor d, int threads, int batchSize) {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        Artifact ts = d.artifacts().get(ModelFormat.TORCHSCRIPT);
        if (ts == null || d.image() == null) {
            throw new IllegalArgumentException("Model '" + d.id() + "' has no TorchScript image artifact for the raw comparison");
        }
        int scores = d.outputNames().indexOf(d.image().scoresOutput());
        if (scores < 0) {
            throw new IllegalArgumentException("Model '" + d.id() + "': output '" + d.image().scoresOutput()
                    + "' is not among the descriptor's outputs " + d.outputNames());
        }
        this.batchSize = batchSize;
        Path file = ts.path();
        String name = file.getFileName().toString();
        Criteria<Image[], float[][]> criteria = Criteria.builder()
                .setTypes(Image[].class, float[][].class)
                .optModelPath(file.getParent())
                .optModelName(name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name)
                .optEngine("PyTorch")
                .optDevice(Device.cpu())
                .optOption("mapLocation", "true")
                .optTranslator(new Translator(d.image(), scores))
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalStateException("raw DJL: cannot load " + file + ": " + e.getMessage(), e);
        }
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        this.predictor = model.newPredictor();
    }

    @Override
    public String name() {
        return "raw-djl";
    }

    @Override
    public List<float[]> probabilities(List<Image> images) {
        List<float[]> out = new ArrayList<float[]>(images.size());
        for (int start = 0; start < images.size(); start += batchSize) {
            List<Image> batch = images.subList(start, Math.min(images.size(), start + batchSize));
            try {
                out.addAll(Arrays.asList(predictor.predict(batch.toArray(new Image[0]))));
            } catch (TranslateException e) {
                throw new IllegalStateException("raw DJL: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    private static final class Translator implements NoBatchifyTranslator<Image[], float[][]> {
        private final ImageSpec spec;
        private final ImagePreprocessor pre;
        private final int scoresIndex;

        Translator(ImageSpec spec, int scoresIndex) {
            this.spec = spec;
            this.pre = new ImagePreprocessor(spec);
            this.scoresIndex = scoresIndex;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Image[] images) {
            int per = pre.valuesPerImage();
            float[] data = new float[images.length * per];
            for (int i = 0; i < images.length; i++) {
                System.arraycopy(pre.apply(images[i]), 0, data, i * per, per);
            }
            return new NDList(ctx.getNDManager().create(data, new Shape(pre.shape(images.length))));
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray s = list.get(scoresIndex);
            if (spec.scoresAreLogits()) {
                s = s.softmax(-1);
            }
            int n = (int) s.getShape().get(0);
            int c = (int) s.getShape().get(1);
            float[] flat = s.toFloatArray();
            float[][] out = new float[n][c];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * c, out[i], 0, c);
            }
            return out;
        }
    }
}
