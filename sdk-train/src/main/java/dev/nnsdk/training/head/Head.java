package dev.nnsdk.training.head;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classification head to train on the frozen backbone's features: {@link #linear()} (one
 * dense layer, logistic regression) or {@link #mlp(int)} (dense, ReLU, dropout, dense).
 *
 * <pre>{@code
 * Head h = Head.mlp(256).dropout(0.2);
 * }</pre>
 */
public final class Head {
    private final String type;
    private final int hidden;
    private final double dropout;

    private Head(String type, int hidden, double dropout) {
        this.type = type;
        this.hidden = hidden;
        this.dropout = dropout;
    }

    /** One dense layer: features to class logits. */
    public static Head linear() {
        return new Head("linear", 0, 0);
    }

    /** Dense layer of {@code hidden} units, ReLU, dropout, dense layer to the classes. */
    public static Head mlp(int hidden) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
        }
        return new Head("mlp", hidden, 0.1);
    }

    /** Dropout rate after the hidden layer (MLP only; a linear head has no dropout). */
    public Head dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        return new Head(type, hidden, rate);
    }

    /** Parses {@code linear} or {@code mlp} (with {@code hidden} units). */
    public static Head parse(String type, int hidden, double dropout) {
        if ("linear".equals(type)) {
            return linear();
        }
        if ("mlp".equals(type)) {
            return mlp(hidden).dropout(dropout);
        }
        throw new IllegalArgumentException("Unknown head '" + type + "': expected linear or mlp");
    }

    /** {@code linear} or {@code mlp}. */
    public String type() {
        return type;
    }

    /** Hidden units (0 for linear). */
    public int hidden() {
        return hidden;
    }

    public double dropout() {
        return dropout;
    }

    /** Layer sizes from the feature size to the class count, e.g. [384, 2] or [384, 256, 2]. */
    public int[] layerSizes(int features, int classes) {
        return "linear".equals(type) ? new int[] {features, classes} : new int[] {features, hidden, classes};
    }

    /** For JSON (training config, model.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("type", type);
        if (hidden > 0) {
            m.put("hidden", hidden);
            m.put("dropout", dropout);
        }
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
