package dev.nnsdk.repository;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A classification head on top of a frozen backbone: its weights file (see
 * {@code dev.nnsdk.format.HeadWeights} for the format), its type ({@code linear} or {@code mlp}) and
 * the labels it predicts, in output order.
 */
public final class HeadSpec {
    private final String type;
    private final Artifact weights;
    private final List<String> labels;

    public HeadSpec(String type, Artifact weights, List<String> labels) {
        this.type = Objects.requireNonNull(type, "type");
        this.weights = Objects.requireNonNull(weights, "weights");
        if (labels == null || labels.size() < 2) {
            throw new IllegalArgumentException("a head needs at least 2 labels, got " + labels);
        }
        this.labels = Collections.unmodifiableList(new ArrayList<String>(labels));
    }

    /** {@code linear} or {@code mlp}. */
    public String type() {
        return type;
    }

    /** The weights file ({@code head.bin}). */
    public Artifact weights() {
        return weights;
    }

    /** Class names in output order. */
    public List<String> labels() {
        return labels;
    }

    @Override
    public String toString() {
        return "HeadSpec{" + type + ", " + labels.size() + " labels}";
    }
}
