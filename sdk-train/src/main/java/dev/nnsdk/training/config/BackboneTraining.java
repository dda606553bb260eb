package dev.nnsdk.training.config;

import dev.nnsdk.Ranges;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether and how the backbone itself is trained (text or image classification on a TorchScript backbone, engine
 * {@code djl}). {@link #none()} (the default) keeps the backbone frozen and trains a head on cached features;
 * otherwise the chosen layers and the head are trained end to end with AdamW: separate backbone and head
 * learning rates (scaled per step by {@link TrainingConfig#schedule()}, i.e. warm-up + cosine decay by default),
 * an optional layer-wise decay, global-norm gradient clipping, gradient accumulation ({@code microBatch} examples per
 * forward pass, {@link TrainingConfig#batchSize()} per optimizer step) and decoupled weight decay on weight matrices
 * and convolution kernels only (never on biases or LayerNorm/BatchNorm parameters). The texts are tokenised at
 * {@code maxLength} word pieces. For image backbones, {@link #batchNorm()} says whether the BatchNorm scale and shift
 * of the trained blocks train ({@code affine}, the default) or stay as they are ({@code frozen}); running statistics
 * never change, because a traced module runs {@code batch_norm} in eval mode (see docs/finetuning.md).
 *
 * <pre>{@code
 * BackboneTraining bt = BackboneTraining.builder().setLayers("last:2")
 *         .optBackboneLearningRate(5e-5).optHeadLearningRate(1e-3).optClipNorm(1.0)
 *         .optMicroBatch(8).optMaxLength(128).build();
 * FineTuning.textClassification().setBackbone("all-minilm-l6-v2").optBackboneTraining(bt)...fit();
 * }</pre>
 *
 * Immutable.
 */
public final class BackboneTraining {
    /** {@link #batchNorm()}: BatchNorm scale and shift train with their block; running statistics stay fixed. */
    public static final String BATCH_NORM_AFFINE = "affine";
    /** {@link #batchNorm()}: BatchNorm layers stay exactly as they are. */
    public static final String BATCH_NORM_FROZEN = "frozen";

    private final String layers;
    private final String batchNorm;
    private final double backboneLearningRate;
    private final double headLearningRate;
    private final double layerDecay;
    private final double clipNorm;
    private final double weightDecay;
    private final int microBatch;
    private final int maxLength;
    private final int checkpointEverySteps;
    private final int threads;

    private BackboneTraining(Builder b) {
        this.layers = b.layers;
        this.backboneLearningRate = b.backboneLearningRate;
        this.headLearningRate = b.headLearningRate;
        this.layerDecay = b.layerDecay;
        this.clipNorm = b.clipNorm;
        this.weightDecay = b.weightDecay;
        this.microBatch = b.microBatch;
        this.maxLength = b.maxLength;
        this.checkpointEverySteps = b.checkpointEverySteps;
        this.threads = b.threads;
        this.batchNorm = b.batchNorm;
    }

    /** The backbone stays frozen (a head is trained on cached features). */
    public static BackboneTraining none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code none}, {@code last:N} (the top N numbered layers, plus what sits above them) or {@code all}. */
    public String layers() {
        return layers;
    }

    /** Whether any backbone parameter trains. */
    public boolean enabled() {
        return !"none".equals(layers);
    }

    public double backboneLearningRate() {
        return backboneLearningRate;
    }

    public double headLearningRate() {
        return headLearningRate;
    }

    /** Learning-rate factor per layer below the top one (1 = the same rate for every trained layer). */
    public double layerDecay() {
        return layerDecay;
    }

    /** Global gradient-norm clip. */
    public double clipNorm() {
        return clipNorm;
    }

    /** Decoupled (AdamW) weight decay on weight matrices. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Examples per forward/backward pass; 0 = the whole batch (no accumulation). */
    public int microBatch() {
        return microBatch;
    }

    /** Word pieces per text (special tokens included); 0 = the backbone's own maximum. */
    public int maxLength() {
        return maxLength;
    }

    /** Also checkpoint every N optimizer steps inside an epoch (0 = after each epoch only). */
    public int checkpointEverySteps() {
        return checkpointEverySteps;
    }

    /** {@link #BATCH_NORM_AFFINE} (default) or {@link #BATCH_NORM_FROZEN}. */
    public String batchNorm() {
        return batchNorm;
    }

    /** libtorch intra-op threads of the run; 0 = one per core. Not part of the checkpoint fingerprint. */
    public int threads() {
        return threads;
    }

    /** {@link #threads()} resolved: the count given, or the number of cores. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** For training.json and the checkpoint fingerprint. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("layers", layers);
        if (enabled()) {
            m.put("backboneLearningRate", backboneLearningRate);
            m.put("headLearningRate", headLearningRate);
            m.put("layerDecay", layerDecay);
            m.put("clipNorm", clipNorm);
            m.put("weightDecay", weightDecay);
            m.put("microBatch", microBatch);
            m.put("maxLength", maxLength);
            if (!BATCH_NORM_AFFINE.equals(batchNorm)) {
                m.put("batchNorm", batchNorm);
            }
        }
        return m;
    }

    /** Builds a {@link BackboneTraining}; every setting has a default. */
    public static final class Builder {
        private String layers = "none";
        private double backboneLearningRate = 5e-5;
        private double headLearningRate = 1e-3;
        private double layerDecay = 1.0;
        private double clipNorm = 1.0;
        private double weightDecay = 0.01;
        private int microBatch;
        private int maxLength;
        private int checkpointEverySteps;
        private int threads;
        private String batchNorm = BATCH_NORM_AFFINE;

        /** {@code none} (default), {@code last:N} with N >= 1, or {@code all}. */
        public Builder setLayers(String layers) {
            String l = layers == null ? "" : layers.trim().toLowerCase(Locale.ROOT);
            if (!l.equals("none") && !l.equals("all") && !l.matches("last:[1-9][0-9]{0,3}")) {
                throw new IllegalArgumentException("--train-backbone must be none, last:N (N >= 1) or all, got '"
                        + layers + "'");
            }
            this.layers = l;
            return this;
        }

        /** Peak learning rate of the backbone (default 5e-5); must be > 0. */
        public Builder optBackboneLearningRate(double lr) {
            this.backboneLearningRate = Ranges.check("backbone learning rate", lr, 0, true, Float.MAX_VALUE);
            return this;
        }

        /** Peak learning rate of the head (default 1e-3); must be > 0. */
        public Builder optHeadLearningRate(double lr) {
            this.headLearningRate = Ranges.check("head learning rate", lr, 0, true, Float.MAX_VALUE);
            return this;
        }

        /** Layer-wise learning-rate decay in (0, 1] (default 1: none). */
        public Builder optLayerDecay(double decay) {
            this.layerDecay = Ranges.check("layer-wise learning-rate decay", decay, 0, true, 1);
            return this;
        }

        /** Global gradient-norm clip (default 1.0); must be > 0. */
        public Builder optClipNorm(double clip) {
            this.clipNorm = Ranges.check("gradient clip value", clip, 0, true, Float.MAX_VALUE);
            return this;
        }

        /** Decoupled weight decay on weight matrices (default 0.01), in [0, 1]. */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = Ranges.check("backbone weight decay", wd, 0, false, 1);
            return this;
        }

        /** Examples per forward pass (gradient accumulation up to the batch size); 0 (default) = the batch size. */
        public Builder optMicroBatch(int microBatch) {
            this.microBatch = Ranges.check("micro-batch size", microBatch, 0, Ranges.MAX_BATCH_SIZE);
            return this;
        }

        /** Word pieces per text; 0 (default) = the backbone's maximum (256 for all-minilm-l6-v2). */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = Ranges.check("max length", maxLength, 0, 8192);
            return this;
        }

        /** Checkpoint every N optimizer steps as well as after each epoch (0, the default: after each epoch only). */
        public Builder optCheckpointEverySteps(int steps) {
            this.checkpointEverySteps = Ranges.check("checkpoint interval (steps)", steps, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * libtorch intra-op threads while the backbone trains (0, the default: one per core). A resumed run gives
         * bit-identical results when it uses the same count as the interrupted one.
         */
        public Builder optThreads(int threads) {
            this.threads = Ranges.check("training threads", threads, 0, 4096);
            return this;
        }

        /**
         * Image backbones: {@code affine} (default: the BatchNorm scale and shift of the trained blocks train) or
         * {@code frozen} (BatchNorm layers unchanged). Running statistics never train (eval-mode {@code batch_norm}).
         */
        public Builder optBatchNorm(String mode) {
            String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
            if (!m.equals(BATCH_NORM_AFFINE) && !m.equals(BATCH_NORM_FROZEN)) {
                throw new IllegalArgumentException("--batchnorm must be affine or frozen, got '" + mode + "' (running "
                        + "statistics cannot be updated: the traced module runs batch_norm in eval mode)");
            }
            this.batchNorm = m;
            return this;
        }

        public BackboneTraining build() {
            return new BackboneTraining(this);
        }
    }
}
