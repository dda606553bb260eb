package dev.nnsdk.inference;

import dev.nnsdk.format.HeadWeights;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.HeadSpec;
import dev.nnsdk.repository.ModelDescriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A text embedder (the frozen backbone) followed by a plain-Java {@link HeadWeights}, or a model that outputs the probabilities. */
final class TextClassifierImpl implements TextClassifier {

    private final TextEmbedder embedder;
    private final HeadWeights head;
    private final List<String> labels;

    /**
     * Wraps an embedder and a head; the classifier owns (and closes) the embedder. A {@code null} head (private: only
     * {@code inModel}) means the embedder's output already is the probabilities.
     */
    public TextClassifierImpl(TextEmbedder embedder, HeadWeights head, List<String> labels) {
        this(embedder, Objects.requireNonNull(head, "head"), labels, true);
    }

    private TextClassifierImpl(TextEmbedder embedder, HeadWeights head, List<String> labels, boolean unused) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.head = head;
        if (head != null && labels.size() != head.numClasses()) {
            throw new ModelLoadException("The head predicts " + head.numClasses() + " classes but " + labels.size()
                    + " labels are given");
        }
        this.labels = Collections.unmodifiableList(new ArrayList<String>(labels));
    }

    /** Loads the backbone and the head a fine-tuned descriptor names. */
    public static TextClassifier create(ModelDescriptor d, ModelOptions options) {
        HeadSpec spec = d.head();
        if (spec == null) {
            throw new ModelLoadException("Model '" + d.id() + "' has no classification head (task " + d.task()
                    + "); load a directory saved by fine-tuning");
        }
        if (HeadSpec.IN_MODEL.equals(spec.type())) {
            return inModel(d, spec, options);
        }
        HeadWeights head = HeadWeights.read(spec);
        TextEmbedder e = TextEmbedderImpl.create(d, options);
        try {
            if (e.dimension() != head.inputSize()) {
                throw new ModelLoadException("Model '" + d.id() + "': the backbone gives " + e.dimension()
                        + "-d vectors but the head takes " + head.inputSize());
            }
            return new TextClassifierImpl(e, head, spec.labels());
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** A model whose output already is the probabilities (an {@code export-onnx} file): no head, no pooling. */
    private static TextClassifier inModel(ModelDescriptor d, HeadSpec spec, ModelOptions options) {
        if (d.text() == null || d.text().pooling() != dev.nnsdk.repository.TextSpec.Pooling.NONE || d.text().normalize()) {
            throw new ModelLoadException("Model '" + d.id() + "': head type " + HeadSpec.IN_MODEL
                    + " needs a text section with \"pooling\": \"none\", \"normalize\": false and the probabilities' output");
        }
        TextEmbedder e = TextEmbedderImpl.create(d, options);
        try {
            if (d.text().windows() >= 2 && !(e instanceof TextEmbedderImpl && ((TextEmbedderImpl) e).averagesWindows())) {
                throw new ModelLoadException("Model '" + d.id() + "': text.windows is " + d.text().windows() + " but the "
                        + "model has no input '" + dev.nnsdk.repository.TextSpec.WINDOW_TEXT_INPUT + "', so it cannot "
                        + "average a text's windows before its head (averaging its probabilities would be another model);"
                        + " export it again with this SDK, or drop text.windows");
            }
            if (e.dimension() != spec.labels().size()) {
                throw new ModelLoadException("Model '" + d.id() + "': its output has " + e.dimension()
                        + " values per text but " + spec.labels().size() + " labels are given");
            }
            return new TextClassifierImpl(e, null, spec.labels(), true);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    @Override
    public Classification classify(String text) {
        return classify(text, 1).get(0);
    }

    @Override
    public List<Classification> classify(String text, int k) {
        if (k < 1) {
            throw new InvalidInputException("k must be >= 1, got " + k);
        }
        return top(probabilities(Collections.singletonList(text)).get(0), k);
    }

    @Override
    public List<Classification> classifyAll(List<String> texts) {
        List<Classification> out = new ArrayList<Classification>(texts.size());
        for (float[] p : probabilities(texts)) {
            out.add(top(p, 1).get(0));
        }
        return out;
    }

    @Override
    public List<float[]> probabilities(List<String> texts) {
        List<float[]> features = embedder.embedAll(texts);
        if (head == null) {
            return features;   // the model's output already is the probabilities
        }
        List<float[]> out = new ArrayList<float[]>(features.size());
        for (float[] f : features) {
            out.add(head.probabilities(f));
        }
        return out;
    }

    /** The {@code k} best classes of a probability vector, best first (ties: lower index first). */
    public List<Classification> top(float[] p, int k) {
        return Classification.top(p, labels, k);
    }

    /** The head (plain Java); {@code null} when the model computes the probabilities itself. */
    public HeadWeights head() {
        return head;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public String engine() {
        return embedder.engine();
    }

    @Override
    public void close() {
        embedder.close();
    }
}
