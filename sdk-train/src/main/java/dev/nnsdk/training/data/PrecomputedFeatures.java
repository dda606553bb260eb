package dev.nnsdk.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.nnsdk.InvalidInputException;

/**
 * Backbone features of texts computed elsewhere, e.g. on a Spark cluster with sdk-spark's
 * {@code TextEmbedder} and written to Parquet, for training a head without running the backbone
 * again: {@code FineTuning.textClassification().backbone(id).train(data).features(f).fit()}.
 * The backbone is still loaded (it is part of the saved model), but computes no features.
 *
 * <pre>{@code
 * PrecomputedFeatures f = PrecomputedFeatures.of("all-minilm-l6-v2", texts, vectors);
 * }</pre>
 *
 * A text of the training or validation data without a vector, a vector of another length than the
 * backbone's, or features of another backbone are errors that say which: never a silent mismatch.
 * Immutable.
 */
public final class PrecomputedFeatures {
    private final String backbone;
    private final int dimension;
    private final Map<String, float[]> byText;

    private PrecomputedFeatures(String backbone, int dimension, Map<String, float[]> byText) {
        this.backbone = backbone;
        this.dimension = dimension;
        this.byText = byText;
    }

    /**
     * The vectors of {@code texts} (same order) computed by the backbone {@code backbone} (the id or
     * path its descriptor was resolved from, as given to {@code backbone(...)}; checked against the
     * trainer's).
     */
    public static PrecomputedFeatures of(String backbone, List<String> texts, List<float[]> vectors) {
        Objects.requireNonNull(backbone, "backbone");
        if (texts.size() != vectors.size()) {
            throw new InvalidInputException("Precomputed features: " + texts.size() + " texts but " + vectors.size() + " vectors");
        }
        Map<String, float[]> m = new HashMap<String, float[]>(texts.size() * 2);
        int dim = -1;
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vectors.get(i);
            if (texts.get(i) == null || v == null) {
                throw new InvalidInputException("Precomputed features: row " + i + " has a null " + (v == null ? "vector" : "text"));
            }
            if (dim < 0) {
                dim = v.length;
            } else if (v.length != dim) {
                throw new InvalidInputException("Precomputed features: row " + i + " has " + v.length
                        + " values, row 0 has " + dim);
            }
            m.putIfAbsent(texts.get(i), v.clone());
        }
        return new PrecomputedFeatures(backbone, Math.max(dim, 0), Collections.unmodifiableMap(m));
    }

    /** The backbone these features came from. */
    public String backbone() {
        return backbone;
    }

    /** The length of every vector. */
    public int dimension() {
        return dimension;
    }

    /** How many distinct texts have a vector. */
    public int size() {
        return byText.size();
    }

    /**
     * The vectors of {@code texts}, in order, checked against the backbone the trainer uses.
     *
     * @throws InvalidInputException naming the first text without a vector, or the mismatch of backbone or dimension
     */
    public float[][] lookup(List<String> texts, String trainerBackbone, int backboneDimension, String role) {
        return lookup(texts, null, trainerBackbone, backboneDimension, role + " texts");
    }

    /**
     * As {@link #lookup(List, String, int, String)}, for the examples of a dataset: {@code sources} name where each
     * text came from (file and line) and {@code what} names the texts (e.g. "texts of the validation split (10% of
     * each label) drawn from train.jsonl"), so the error names the user's file and line.
     */
    public float[][] lookup(List<String> texts, List<String> sources, String trainerBackbone, int backboneDimension,
            String what) {
        if (!backbone.equals(trainerBackbone)) {
            throw new InvalidInputException("Precomputed features come from backbone '" + backbone
                    + "' but the trainer's backbone is '" + trainerBackbone + "'");
        }
        if (dimension != backboneDimension) {
            throw new InvalidInputException("Precomputed features have " + dimension + " values per text but backbone '"
                    + trainerBackbone + "' gives " + backboneDimension);
        }
        float[][] x = new float[texts.size()][];
        List<Integer> missing = new ArrayList<Integer>();
        for (int i = 0; i < x.length; i++) {
            x[i] = byText.get(texts.get(i));
            if (x[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            String t = texts.get(missing.get(0));
            int first = missing.get(0);
            String where = sources != null ? sources.get(first) : "example " + (first + 1);
            throw new InvalidInputException("Precomputed features: " + missing.size() + " " + what + " have no vector, "
                    + "the first (" + where + "): \"" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "\"");
        }
        return x;
    }
}
