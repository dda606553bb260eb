package dev.nnsdk.training.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue training exactly where it stopped (a checkpoint): weights,
 * optimizer moments, step counter, early-stopping state and history. The random streams are not
 * stored: each epoch derives its own from the seed and the epoch number.
 * Public fields for Jackson; internal.
 */
public final class TrainState {
    public int version = 1;
    /** SHA-256 of config, head, labels, backbone and datasets: a checkpoint only resumes the same run. */
    public String fingerprint;
    public int epochsDone;
    public long step;
    /** Per parameter (W0, b0, W1, b1, ...): values, first moment (or momentum buffer), second moment. */
    public List<float[]> params = new ArrayList<float[]>();
    public List<float[]> moment1 = new ArrayList<float[]>();
    public List<float[]> moment2 = new ArrayList<float[]>();
    /** Weights of the best epoch so far. */
    public List<float[]> best = new ArrayList<float[]>();
    public int bestEpoch;
    public double bestScore;
    public int badEpochs;
    public boolean stoppedEarly;
    public List<Map<String, Object>> history = new ArrayList<Map<String, Object>>();
    /**
     * Optimizer steps already done in epoch {@code epochsDone + 1} when the checkpoint was written inside an epoch
     * (step checkpoints of backbone training), else 0.
     */
    public int stepInEpoch;
    /** What the objective keeps beside the weights (running sums of a partial epoch, the backbone state file). */
    public Map<String, Object> extra = new java.util.LinkedHashMap<String, Object>();
}
