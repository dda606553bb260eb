package dev.nnsdk.training.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MLP heads {@link dev.nnsdk.training.head.Head#auto()} tries beside the tuned linear head, and how each is
 * trained: on centred features divided by one common scale (the training split's statistics, folded into the saved
 * first layer), Adam at {@link #learningRate()} with 10% warm-up and cosine decay over {@link #maxEpochs()}, mini-batches
 * of {@link #batchSize()}, early stopping on the validation log-loss after {@link #patience()} epochs without
 * improvement, the best epoch kept. Each candidate is a logit average of {@link #members()} MLPs trained from
 * different seeds, which is exactly one MLP with {@code members * hidden} hidden units and output weights divided by
 * {@code members} (so it saves and exports as any MLP head). Immutable; seeded and deterministic.
 *
 * <pre>{@code
 * TrainingConfig c = TrainingConfig.builder()
 *         .optHeadSearch(HeadSearch.builder().optCandidate(512, 0.5, 0).optMembers(2).build())
 *         .build();
 * TrainingConfig linearOnly = TrainingConfig.builder().optHeadSearch(HeadSearch.none()).build();
 * }</pre>
 */
public final class HeadSearch {
    private final List<Candidate> candidates;
    private final int members;
    private final int maxEpochs;
    private final int patience;
    private final double learningRate;
    private final int batchSize;
    private final boolean refit;

    /** One MLP architecture of the search: hidden units (per member), dropout after the hidden layer, weight decay. */
    public static final class Candidate {
        private final int hidden;
        private final double dropout;
        private final double weightDecay;

        Candidate(int hidden, double dropout, double weightDecay) {
            if (hidden < 1) {
                throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            this.hidden = hidden;
            this.dropout = dropout;
            this.weightDecay = dev.nnsdk.Ranges.check("weight decay", weightDecay, 0, false, 1);
        }

        public int hidden() {
            return hidden;
        }

        public double dropout() {
            return dropout;
        }

        public double weightDecay() {
            return weightDecay;
        }

        /** For JSON (training.json). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("hidden", hidden);
            m.put("dropout", dropout);
            m.put("weightDecay", weightDecay);
            return m;
        }
    }

    private HeadSearch(Builder b) {
        this.candidates = Collections.unmodifiableList(new ArrayList<Candidate>(b.candidates));
        this.members = b.members;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.learningRate = b.learningRate;
        this.batchSize = b.batchSize;
        this.refit = b.refit;
    }

    /** The default search (see docs/finetuning.md, "How training works", for the measurements behind it). */
    public static HeadSearch defaults() {
        return builder().build();
    }

    /** No MLP candidates: {@code Head.auto()} is then the tuned linear head. */
    public static HeadSearch none() {
        Builder b = builder();
        b.candidates.clear();
        b.explicit = true;
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The MLP candidates, in the order tried (simpler first: ties go to the earlier one). */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** MLPs per candidate, trained from different seeds and averaged (logits). */
    public int members() {
        return members;
    }

    public int maxEpochs() {
        return maxEpochs;
    }

    public int patience() {
        return patience;
    }

    public double learningRate() {
        return learningRate;
    }

    public int batchSize() {
        return batchSize;
    }

    /** For JSON (training.json and the checkpoint fingerprint). */
    /**
     * Whether the kept head is trained once more on the training and validation examples together, with the settings
     * the selection chose (the linear head's C; an MLP's members for their best epoch counts): the validation split
     * picks the head, then every labelled example trains it (default: on). The validation figures reported are those
     * of the selection, made before the refit.
     */
    public boolean refit() {
        return refit;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        List<Map<String, Object>> c = new ArrayList<Map<String, Object>>();
        for (Candidate x : candidates) {
            c.add(x.toMap());
        }
        m.put("candidates", c);
        m.put("members", members);
        m.put("maxEpochs", maxEpochs);
        m.put("patience", patience);
        m.put("learningRate", learningRate);
        m.put("batchSize", batchSize);
        m.put("refit", refit);
        return m;
    }

    /** Builds a {@link HeadSearch}; every setting optional. Naming a candidate replaces the default candidates. */
    public static final class Builder {
        private final List<Candidate> candidates = new ArrayList<Candidate>();
        private boolean explicit;
        private int members = DEFAULT_MEMBERS;
        private int maxEpochs = DEFAULT_MAX_EPOCHS;
        private int patience = DEFAULT_PATIENCE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean refit = true;

        Builder() {
            for (double[] c : DEFAULT_CANDIDATES) {
                candidates.add(new Candidate((int) c[0], c[1], c[2]));
            }
        }

        /** Adds an MLP candidate (the first call drops the default candidates). */
        public Builder optCandidate(int hidden, double dropout, double weightDecay) {
            if (!explicit) {
                candidates.clear();
                explicit = true;
            }
            candidates.add(new Candidate(hidden, dropout, weightDecay));
            return this;
        }

        /** MLPs per candidate, averaged (>= 1). */
        public Builder optMembers(int members) {
            this.members = (int) dev.nnsdk.Ranges.check("ensemble members", members, 1, 64);
            return this;
        }

        /** The most epochs a member trains (early stopping usually ends it before). */
        public Builder optMaxEpochs(int epochs) {
            this.maxEpochs = dev.nnsdk.Ranges.epochs(epochs);
            return this;
        }

        /** Epochs without a lower validation log-loss before a member stops (>= 1). */
        public Builder optPatience(int patience) {
            this.patience = (int) dev.nnsdk.Ranges.check("patience", patience, 1, dev.nnsdk.Ranges.MAX_EPOCHS);
            return this;
        }

        public Builder optLearningRate(double lr) {
            this.learningRate = dev.nnsdk.Ranges.learningRate(lr);
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = dev.nnsdk.Ranges.batchSize(batchSize);
            return this;
        }

        /** Retrain the kept head on training + validation examples with the chosen settings (default true). */
        public Builder optRefit(boolean refit) {
            this.refit = refit;
            return this;
        }

        public HeadSearch build() {
            return new HeadSearch(this);
        }
    }

    // The defaults, chosen on validation scores of the two documented protocols (docs/finetuning.md).
    private static final double[][] DEFAULT_CANDIDATES = {{256, 0.5, 1e-3}, {256, 0.5, 1e-2}};
    private static final int DEFAULT_MEMBERS = 3;
    private static final int DEFAULT_MAX_EPOCHS = 20;
    private static final int DEFAULT_PATIENCE = 5;
    private static final double DEFAULT_LEARNING_RATE = 1e-3;
    private static final int DEFAULT_BATCH_SIZE = 64;
}
