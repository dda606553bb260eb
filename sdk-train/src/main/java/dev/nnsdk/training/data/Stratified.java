package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The label-aware rules every labelled dataset shares: trainability and the seeded stratified split. */
final class Stratified {
    private Stratified() {
    }

    /** Fails naming the dataset when it has no examples or fewer than two classes. */
    static void requireTrainable(String name, int size, List<String> labels) {
        if (size == 0) {
            throw new InvalidInputException("Dataset " + name + " has no examples");
        }
        if (labels.size() < 2) {
            throw new InvalidInputException("Dataset " + name + " has a single class '" + labels.get(0)
                    + "'; a classifier needs examples of at least 2 classes");
        }
    }

    /** The name of the validation split drawn from the dataset {@code name}: it says where the examples came from. */
    static String validationSplitName(String name, double fraction) {
        return "the validation split (" + percent(fraction) + " of each label) drawn from " + name;
    }

    /** The name of what remains of {@code name} for training once its validation split is held out. */
    static String trainingSplitName(String name) {
        return name + " (without its validation split)";
    }

    static String percent(double fraction) {
        return new java.math.BigDecimal(Double.toString(fraction)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /**
     * Which examples go to validation: per label (in {@code labels} order) a seeded shuffle, then the
     * first {@code round(count * fraction)}, at least one when the label has 2 or more examples, and never
     * all of them when {@code keepOneForTraining} (a validation split): every label keeps at least one training
     * example, so a label cannot vanish from training and then be blamed as a "validation label" the training data
     * lacks. A sample ({@code stratifiedSample}) passes false.
     */
    static boolean[] validationMask(List<String> labelOfEach, List<String> labels, double fraction, long seed,
            boolean keepOneForTraining) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        Map<String, List<Integer>> byLabel = new LinkedHashMap<String, List<Integer>>();
        for (String l : labels) {
            byLabel.put(l, new ArrayList<Integer>());
        }
        for (int i = 0; i < labelOfEach.size(); i++) {
            byLabel.get(labelOfEach.get(i)).add(i);
        }
        Random rnd = new Random(seed);
        boolean[] valid = new boolean[labelOfEach.size()];
        for (List<Integer> idx : byLabel.values()) {
            Collections.shuffle(idx, rnd);
            int n = (int) Math.round(idx.size() * fraction);
            if (n == 0 && idx.size() >= 2) {
                n = 1;
            }
            if (keepOneForTraining) {
                n = Math.min(n, idx.size() - 1);
            }
            for (int i = 0; i < n; i++) {
                valid[idx.get(i)] = true;
            }
        }
        return valid;
    }
}
