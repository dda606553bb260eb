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

/** A text embedder (the frozen backbone) followed by a plain-Java {@link HeadWeights}. */
final class TextClassifierImpl implements TextClassifier {

    private final TextEmbedder embedder;
    private final HeadWeights head;
    private final List<String> labels;

    /** Wraps an embedder and a head; the classifier owns (and closes) the embedder. */
    public TextClassifierImpl(TextEmbedder embedder, HeadWeights head, List<String> labels) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.head = Objects.requireNonNull(head, "head");
        if (labels.size() != head.numClasses()) {
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

    /** The head (plain Java). */
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
