package dev.nnsdk.training.head;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classification head to train on the frozen backbone's features: {@link #auto()} (the default: the tuned
 * linear head and a small search of MLP heads, the best on the validation split kept, see {@link dev.nnsdk.training.config.HeadSearch}),
 * {@link #linear()} (one dense layer, logistic regression) or {@link #mlp(int)} (dense, ReLU, dropout, dense).
 *
 * <pre>{@code
 * Head h = Head.mlp(256).dropout(0.2);
 * Head best = Head.auto();            // linear or MLP, whichever scores best on validation
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

    /**
     * Not one architecture but a choice made on the validation split: the linear head (L2 tuned as
     * {@link dev.nnsdk.training.config.TrainingConfig#tune()} says) and the MLP heads of
     * {@link dev.nnsdk.training.config.TrainingConfig#headSearch()} are trained and the one with the lowest validation
     * log-loss is kept (ties: the simpler). A config with an explicit L2 or with tuning off makes it the linear head.
     * The saved model records the head that was kept ({@code linear} or {@code mlp}), never {@code auto}.
     */
    public static Head auto() {
        return new Head("auto", 0, 0);
    }

    /** Whether this is {@link #auto()} (a choice still to be made by training). */
    public boolean isAuto() {
        return "auto".equals(type);
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

    /** Parses {@code auto}, {@code linear} or {@code mlp} (with {@code hidden} units). */
    public static Head parse(String type, int hidden, double dropout) {
        if ("auto".equals(type)) {
            return auto();
        }
        if ("linear".equals(type)) {
            return linear();
        }
        if ("mlp".equals(type)) {
            return mlp(hidden).dropout(dropout);
        }
        throw new IllegalArgumentException("Unknown head '" + type + "': expected auto, linear or mlp");
    }

    /** {@code auto}, {@code linear} or {@code mlp}. */
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
        if (isAuto()) {
            throw new IllegalStateException("the auto head has no layer sizes until training picked linear or mlp");
        }
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
