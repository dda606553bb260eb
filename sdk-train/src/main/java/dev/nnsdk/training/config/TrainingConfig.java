package dev.nnsdk.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the head is trained. Every field has a default; the same config and seed give the same
 * weights and metrics run to run.
 *
 * <pre>{@code
 * TrainingConfig c = TrainingConfig.builder().epochs(20).learningRate(1e-3)
 *         .optimizer(Optimizer.adam()).weightDecay(1e-4)
 *         .earlyStopping("macro_f1", 3).seed(42).build();
 * }</pre>
 */
public final class TrainingConfig {
    /** Metrics early stopping can watch. */
    public static final String ACCURACY = "accuracy";
    public static final String MACRO_F1 = "macro_f1";
    public static final String LOSS = "loss";

    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final Optimizer optimizer;
    private final double weightDecay;
    private final LrSchedule schedule;
    private final boolean balancedClassWeights;
    private final String earlyStoppingMetric;
    private final int patience;
    private final long seed;
    private final String solver;
    private final double l2;
    private final boolean tune;
    private final HeadSearch headSearch;

    private TrainingConfig(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.optimizer = b.optimizer;
        this.weightDecay = b.weightDecay;
        this.schedule = b.schedule;
        this.balancedClassWeights = b.balancedClassWeights;
        this.earlyStoppingMetric = b.earlyStoppingMetric;
        this.patience = b.patience;
        this.seed = b.seed;
        this.solver = b.solver;
        this.l2 = b.l2;
        this.tune = b.tune;
        this.headSearch = b.headSearch;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TrainingConfig defaults() {
        return builder().build();
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public double learningRate() {
        return learningRate;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    /** Weight each class by {@code n / (classes * count)} in the loss, for imbalanced labels. */
    public boolean balancedClassWeights() {
        return balancedClassWeights;
    }

    /** The validation metric that picks the best epoch ({@code macro_f1}, {@code accuracy} or {@code loss}). */
    public String earlyStoppingMetric() {
        return earlyStoppingMetric;
    }

    /** Epochs without improvement before stopping and keeping the best epoch; 0 = no early stopping, the last epoch is kept. */
    public int patience() {
        return patience;
    }

    public long seed() {
        return seed;
    }

    /**
     * {@code auto} (default: {@code lbfgs} for a linear head, {@code sgd} for an MLP), {@code lbfgs}
     * (linear heads only: standardised features, full-batch L-BFGS to convergence, see
     * {@link dev.nnsdk.training.head.LinearHeadSolver}) or {@code sgd} (mini-batch epochs with
     * {@link #optimizer()}, {@link #learningRate()} and {@link #schedule()}).
     */
    public String solver() {
        return solver;
    }

    /** Whether {@code head} is fitted by L-BFGS under this config. */
    public boolean usesLinearSolver(dev.nnsdk.training.head.Head head) {
        return "linear".equals(head.type()) && !"sgd".equals(solver);
    }

    /** The L2 strength of the L-BFGS solver ({@code l2 / 2 * ||W||^2} on the mean loss), or NaN when not set. */
    public double l2() {
        return l2;
    }

    /** Whether unset L2 is picked on the validation split by a small deterministic search (default true). */
    public boolean tune() {
        return tune;
    }

    /**
     * The MLP heads {@link dev.nnsdk.training.head.Head#auto()} (the default head) tries beside the tuned linear
     * head ({@link HeadSearch#defaults()} unless set; {@link HeadSearch#none()}: the linear head only).
     */
    public HeadSearch headSearch() {
        return headSearch;
    }

    /** This configuration with another base learning rate (the schedule scales it per step). */
    public TrainingConfig withLearningRate(double lr) {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = dev.nnsdk.Ranges.learningRate(lr);
        b.optimizer = optimizer;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.balancedClassWeights = balancedClassWeights;
        b.earlyStoppingMetric = earlyStoppingMetric;
        b.patience = patience;
        b.seed = seed;
        b.solver = solver;
        b.l2 = l2;
        b.tune = tune;
        b.headSearch = headSearch;
        return new TrainingConfig(b);
    }

    /** For JSON (training.json) and the checkpoint fingerprint. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("learningRate", learningRate);
        m.put("optimizer", optimizer.toMap());
        m.put("weightDecay", weightDecay);
        m.put("schedule", schedule.toMap());
        m.put("balancedClassWeights", balancedClassWeights);
        m.put("earlyStoppingMetric", earlyStoppingMetric);
        m.put("patience", patience);
        m.put("seed", seed);
        m.put("solver", solver);
        if (!Double.isNaN(l2)) {
            m.put("l2", l2);
        }
        m.put("tune", tune);
        m.put("headSearch", headSearch.toMap());
        return m;
    }

    /** Builds a {@link TrainingConfig}; all settings optional. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 32;
        private double learningRate = 1e-2;
        private Optimizer optimizer = Optimizer.adam();
        private double weightDecay = 0;
        private LrSchedule schedule = LrSchedule.warmupCosine(0.1);
        private boolean balancedClassWeights;
        private String earlyStoppingMetric = MACRO_F1;
        private int patience;
        private long seed = 42;
        private String solver = "auto";
        private double l2 = Double.NaN;
        private boolean tune = true;
        private HeadSearch headSearch = HeadSearch.defaults();

        /** The MLP candidates of the default head ({@link dev.nnsdk.training.head.Head#auto()}); see {@link HeadSearch}. */
        public Builder optHeadSearch(HeadSearch search) {
            this.headSearch = java.util.Objects.requireNonNull(search, "search");
            return this;
        }

        /** {@code auto} (default), {@code lbfgs} or {@code sgd}; see {@link TrainingConfig#solver()}. */
        public Builder optSolver(String solver) {
            if (!"auto".equals(solver) && !"lbfgs".equals(solver) && !"sgd".equals(solver)) {
                throw new IllegalArgumentException("solver must be auto, lbfgs or sgd, got " + solver);
            }
            this.solver = solver;
            return this;
        }

        /** L2 strength of the L-BFGS solver (>= 0); setting it turns the search off. */
        public Builder optL2(double l2) {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("L2 strength must be a number >= 0, got " + l2);
            }
            this.l2 = l2;
            return this;
        }

        /** Pick unset L2 on the validation split (default true). */
        public Builder optTune(boolean tune) {
            this.tune = tune;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = dev.nnsdk.Ranges.epochs(epochs);
            return this;
        }

        /** @deprecated renamed optEpochs; kept for existing callers. */
        @Deprecated
        public Builder epochs(int epochs) {
            return optEpochs(epochs);
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = dev.nnsdk.Ranges.batchSize(batchSize);
            return this;
        }

        /** @deprecated renamed optBatchSize; kept for existing callers. */
        @Deprecated
        public Builder batchSize(int batchSize) {
            return optBatchSize(batchSize);
        }

        public Builder optLearningRate(double lr) {
            this.learningRate = dev.nnsdk.Ranges.learningRate(lr);
            return this;
        }

        /** @deprecated renamed optLearningRate; kept for existing callers. */
        @Deprecated
        public Builder learningRate(double lr) {
            return optLearningRate(lr);
        }

        public Builder optOptimizer(Optimizer optimizer) {
            this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** @deprecated renamed optOptimizer; kept for existing callers. */
        @Deprecated
        public Builder optimizer(Optimizer optimizer) {
            return optOptimizer(optimizer);
        }

        /** L2 penalty on the weights (not the biases). */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = dev.nnsdk.Ranges.check("weight decay", wd, 0, false, 1);
            return this;
        }

        /** @deprecated renamed optWeightDecay; kept for existing callers. */
        @Deprecated
        public Builder weightDecay(double wd) {
            return optWeightDecay(wd);
        }

        public Builder optSchedule(LrSchedule schedule) {
            this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** @deprecated renamed optSchedule; kept for existing callers. */
        @Deprecated
        public Builder schedule(LrSchedule schedule) {
            return optSchedule(schedule);
        }

        public Builder optBalancedClassWeights(boolean on) {
            this.balancedClassWeights = on;
            return this;
        }

        /** @deprecated renamed optBalancedClassWeights; kept for existing callers. */
        @Deprecated
        public Builder balancedClassWeights(boolean on) {
            return optBalancedClassWeights(on);
        }

        /** Keeps the epoch with the best {@code metric} and stops after {@code patience} epochs without improvement. */
        public Builder optEarlyStopping(String metric, int patience) {
            if (!ACCURACY.equals(metric) && !MACRO_F1.equals(metric) && !LOSS.equals(metric)) {
                throw new IllegalArgumentException("early-stopping metric must be accuracy, macro_f1 or loss, got " + metric);
            }
            dev.nnsdk.Ranges.check("patience", patience, 0, dev.nnsdk.Ranges.MAX_EPOCHS);
            this.earlyStoppingMetric = metric;
            this.patience = patience;
            return this;
        }

        /** @deprecated renamed optEarlyStopping; kept for existing callers. */
        @Deprecated
        public Builder earlyStopping(String metric, int patience) {
            return optEarlyStopping(metric, patience);
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @deprecated renamed optSeed; kept for existing callers. */
        @Deprecated
        public Builder seed(long seed) {
            return optSeed(seed);
        }

        public TrainingConfig build() {
            return new TrainingConfig(this);
        }
    }
}
