package dev.nnsdk.inference;

import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.engine.RunGuard;

import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.TensorInfo;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Preprocess (from the descriptor's {@link ImageSpec}), run in batches, read the scores and features
 * outputs by name (or by the descriptor's positional output names for formats without names), softmax
 * when the scores are logits, top-k. Engine-neutral: the engine comes from {@link EngineSelection}.
 */
final class ImageClassifierImpl implements ImageClassifier {

    private final ModelDescriptor descriptor;
    private final EngineModel model;
    private final ImageSpec spec;
    private final ImagePreprocessor pre;
    private final int batchSize;
    private final String inputName;
    private final int scoresIndex;
    private final int featuresIndex;
    private final List<String> labels;
    private final RunGuard guard;

    private ImageClassifierImpl(ModelDescriptor d, EngineModel model, int batchSize) {
        this.descriptor = d;
        this.model = model;
        this.spec = d.image();
        this.pre = new ImagePreprocessor(spec);
        this.batchSize = Math.max(1, batchSize);
        this.guard = new RunGuard("ImageClassifier(" + d.id() + ")");
        List<TensorInfo> ins = model.inputs();
        if (ins.size() > 1) {
            throw new ModelLoadException("Model '" + d.id() + "' has " + ins.size() + " inputs " + ins
                    + "; an image classifier takes one image tensor");
        }
        if (!ins.isEmpty()) {
            this.inputName = ins.get(0).name();
            checkInputShape(ins.get(0));
        } else {
            this.inputName = d.inputNames().isEmpty() ? null : d.inputNames().get(0);
        }
        this.scoresIndex = outputIndex(spec.scoresOutput(), "scores");
        this.featuresIndex = outputIndex(spec.featuresOutput(), "features");
        if (scoresIndex < 0 && featuresIndex < 0) {
            throw new ModelLoadException("Model '" + d.id() + "': its descriptor names neither a scores nor a features output "
                    + "(fields image.scores and image.features); outputs: " + model.outputs());
        }
        this.labels = spec.labels();
        long[] scoreShape = scoresIndex >= 0 && scoresIndex < model.outputs().size()
                ? model.outputs().get(scoresIndex).shape() : null;
        if (!labels.isEmpty() && scoreShape != null && scoreShape.length == 2 && scoreShape[1] > 0
                && scoreShape[1] != labels.size()) {
            throw new ModelLoadException("Model '" + d.id() + "': its descriptor lists " + labels.size()
                    + " labels but output '" + spec.scoresOutput() + "' has " + scoreShape[1] + " classes");
        }
    }

    /** Loads the engine model an image descriptor names. */
    public static ImageClassifier create(ModelDescriptor d, ModelOptions options) {
        Objects.requireNonNull(d, "descriptor");
        if (d.image() == null) {
            throw new ModelLoadException("Model '" + d.id() + "' is not an image model (task " + d.task()
                    + "; its descriptor has no \"image\" section)");
        }
        EngineModel m = EngineSelection.load(d, options);
        try {
            return new ImageClassifierImpl(d, m, options.batchSize());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private void checkInputShape(TensorInfo in) {
        long[] want = in.shape();
        if (want == null) {
            return;
        }
        long[] ours = pre.shape(1);
        boolean ok = want.length == ours.length;
        for (int i = 1; ok && i < want.length; i++) {
            ok = want[i] < 0 || want[i] == ours[i];
        }
        if (!ok) {
            throw new ModelLoadException("Model '" + descriptor.id() + "': its descriptor describes " + spec.layout() + " "
                    + spec.width() + "x" + spec.height() + " input " + Arrays.toString(ours).replaceFirst("1", "batch")
                    + " but model input '" + in.name() + "' is " + Arrays.toString(want).replace("-1", "?")
                    + " (check image.width, image.height and image.layout)");
        }
    }

    /** Position of output {@code name} among the model's outputs, or -1 when {@code name} is null. */
    private int outputIndex(String name, String field) {
        if (name == null) {
            return -1;
        }
        List<TensorInfo> outs = model.outputs();
        for (int i = 0; i < outs.size(); i++) {
            if (name.equals(outs.get(i).name())) {
                return i;
            }
        }
        int j = descriptor.outputNames().indexOf(name);
        if (j >= 0) {
            return j;
        }
        throw new ModelLoadException("Model '" + descriptor.id() + "' has no output '" + name + "' (descriptor field image."
                + field + "); outputs: " + (outs.isEmpty() ? descriptor.outputNames() : outs));
    }

    @Override
    public List<Classification> classify(Image image, int k) {
        return classifyAll(Collections.singletonList(Objects.requireNonNull(image, "image")), k).get(0);
    }

    @Override
    public List<Classification> classify(Path imageFile, int k) {
        Objects.requireNonNull(imageFile, "imageFile");
        checkK(k);
        return classify(ImageDecoder.get().decode(imageFile), k);
    }

    @Override
    public List<List<Classification>> classifyAll(List<Image> images, int k) {
        checkK(k);
        if (scoresIndex < 0) {
            throw new IllegalStateException("Model '" + descriptor.id() + "' has no classifier output (descriptor field "
                    + "image.scores); use features()");
        }
        List<float[]> scores = runAll(images, scoresIndex);
        List<List<Classification>> out = new ArrayList<List<Classification>>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            float[] s = scores.get(i);
            if (!labels.isEmpty() && s.length != labels.size()) {
                throw new ModelLoadException("Model '" + descriptor.id() + "': its descriptor lists " + labels.size()
                        + " labels but output '" + spec.scoresOutput() + "' has " + s.length + " classes");
            }
            out.add(Classification.top(spec.scoresAreLogits() ? HeadWeights.softmax(s) : s, labels, k));
        }
        return out;
    }

    @Override
    public float[] features(Image image) {
        return featuresAll(Collections.singletonList(Objects.requireNonNull(image, "image"))).get(0);
    }

    @Override
    public List<float[]> featuresAll(List<Image> images) {
        if (featuresIndex < 0) {
            throw new IllegalStateException("Model '" + descriptor.id() + "' names no features output (descriptor field "
                    + "image.features)");
        }
        return runAll(images, featuresIndex);
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    /** Output {@code index} for each image, one float[] per image, in input order. */
    private List<float[]> runAll(List<Image> images, int index) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new InvalidInputException("Image " + i + " of " + images.size() + " is null");
            }
        }
        guard.enter();
        try {
            List<float[]> out = new ArrayList<float[]>(images.size());
            for (int start = 0; start < images.size(); start += batchSize) {
                int end = Math.min(images.size(), start + batchSize);
                out.addAll(runBatch(images.subList(start, end), index));
            }
            return out;
        } finally {
            guard.exit();
        }
    }

    private List<float[]> runBatch(List<Image> batch, int index) {
        int n = batch.size();
        FloatBuffer buf = Tensor.allocateFloats(n * pre.valuesPerImage());
        for (Image im : batch) {
            pre.apply(im, buf);
        }
        ((java.nio.Buffer) buf).flip();
        List<Tensor> outs = model.run(Collections.singletonList(Tensor.ofFloats(inputName, buf, pre.shape(n))));
        Tensor t = pick(outs, index);
        int per = t.size() / n;
        if (per * n != t.size() || t.dim(0) != n) {
            throw new dev.nnsdk.EngineException("Model '" + descriptor.id() + "' returned output " + t + " for a batch of " + n);
        }
        FloatBuffer fb = t.floatBuffer();
        List<float[]> rows = new ArrayList<float[]>(n);
        for (int i = 0; i < n; i++) {
            float[] row = new float[per];
            fb.get(row);
            rows.add(row);
        }
        return rows;
    }

    /** The output by name when the engine names its outputs, else by position. */
    private Tensor pick(List<Tensor> outs, int index) {
        String name = index == scoresIndex ? spec.scoresOutput() : spec.featuresOutput();
        for (Tensor t : outs) {
            if (name.equals(t.name())) {
                return t;
            }
        }
        if (index >= outs.size()) {
            throw new dev.nnsdk.EngineException("Model '" + descriptor.id() + "' returned " + outs.size()
                    + " outputs; output '" + name + "' was expected at position " + index);
        }
        return outs.get(index);
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String engine() {
        return model.engineName();
    }

    @Override
    public void close() {
        if (guard.close()) {
            model.close();
        }
    }
}
