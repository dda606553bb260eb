package dev.nnsdk.training.internal;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.config.TrainingException;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * The one epoch loop of every trainer (heads, recommenders): learning-rate schedule per step, NaN
 * stop (the last good checkpoint is kept), listeners, validation, best-epoch tracking and early
 * stopping, and an atomic checkpoint after every epoch so that {@link #resume} continues exactly
 * where a run stopped. What is trained, and on which batches with which loss, is the {@link Objective}'s.
 *
 * <p>Deterministic: epoch {@code e} gets {@code Random(seed * 1000003 + e)} for its shuffling and
 * noise, so resuming after epoch {@code e} replays the uninterrupted run.
 */
public final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    /** What one training run optimises, one batch at a time. */
    public interface Objective {
        /** Training examples per epoch (batches are consecutive slices of the epoch's order). */
        int examples();

        /** Starts epoch {@code epoch}; {@code rnd} is the epoch's own random stream (shuffling, negatives, dropout). */
        void beginEpoch(int epoch, Random rnd);

        /**
         * One optimizer step (number {@code t}, 1-based) on the epoch's examples {@code [from, to)}.
         *
         * @return the mean training loss of the epoch so far when measured at this batch, else {@code null}
         */
        Double step(int batch, int steps, int from, int to, double lr, long t);

        /** Ends the epoch: {train loss, train accuracy} over all its examples. */
        double[] endEpoch();

        /** Copies the current weights and optimizer moments into {@code s}; returns {loss, accuracy, f1-like} on validation. */
        double[] validate(TrainState s);
    }

    private final TrainingConfig cfg;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final String phase;
    private final boolean keepLastWithoutPatience;
    private final ToDoubleFunction<EpochResult> score;

    /**
     * @param phase                   names the run in messages ({@code null}: none)
     * @param keepLastWithoutPatience with patience 0, keep the last epoch (heads) rather than the best (recommenders)
     * @param score                   higher is better; picks the kept epoch
     */
    public EpochLoop(TrainingConfig cfg, List<TrainingListener> listeners, Path checkpointDir, String phase,
                     boolean keepLastWithoutPatience, ToDoubleFunction<EpochResult> score) {
        this.cfg = cfg;
        this.listeners = listeners;
        this.checkpointDir = checkpointDir;
        this.phase = phase;
        this.keepLastWithoutPatience = keepLastWithoutPatience;
        this.score = score;
    }

    /**
     * The checkpoint of {@code dir} to continue from when {@code resume} is set, or {@code null} (train from
     * the start). A checkpoint of another run (other fingerprint) is refused; {@code changed} says what
     * makes a run another one, e.g. "the configuration, head, backbone, engine or data changed".
     */
    public static TrainState resume(Path dir, boolean resume, String fingerprint, String changed) {
        if (!resume || dir == null) {
            return null;
        }
        TrainState state = Checkpoints.read(dir);
        if (state != null && !fingerprint.equals(state.fingerprint)) {
            throw new InvalidInputException("The checkpoint in " + dir + " belongs to a different run ("
                    + changed + "); delete it or train without --resume");
        }
        if (state == null) {
            LOG.warn("No checkpoint in {}: training from the start", dir);
        } else {
            LOG.info("Resuming after epoch {} from {}", state.epochsDone, dir);
        }
        return state;
    }

    /** Runs the remaining epochs of {@code s} (fresh or from a checkpoint) and returns the final state. */
    public TrainState run(TrainState s, Objective objective) {
        int n = objective.examples();
        int bs = Math.min(cfg.batchSize(), n);
        int steps = (n + bs - 1) / bs;
        long totalSteps = (long) steps * cfg.epochs();
        for (TrainingListener l : listeners) {
            l.onTrainingStart(s.epochsDone + 1, cfg.epochs(), steps);
        }
        for (int epoch = s.epochsDone + 1; epoch <= cfg.epochs() && !s.stoppedEarly; epoch++) {
            long t0 = System.nanoTime();
            objective.beginEpoch(epoch, new Random(cfg.seed() * 1_000_003L + epoch));
            double lr = cfg.learningRate();
            for (int b = 0; b < steps; b++) {
                int from = b * bs;
                int to = Math.min(n, from + bs);
                lr = cfg.schedule().rate(cfg.learningRate(), s.step, totalSteps, epoch - 1);
                Double running = objective.step(b, steps, from, to, lr, s.step + 1);
                s.step++;
                if (running != null) {
                    if (running.isNaN() || running.isInfinite()) {
                        throw diverged(running, epoch, b + 1, lr, s.epochsDone);
                    }
                    for (TrainingListener l : listeners) {
                        l.onBatchEnd(epoch, b + 1, steps, running);
                    }
                }
            }
            double[] train = objective.endEpoch();
            double[] v = objective.validate(s);
            EpochResult r = new EpochResult(epoch, cfg.epochs(), lr, train[0], train[1], v[0], v[1], v[2],
                    (System.nanoTime() - t0) / 1e9);
            double sc = score.applyAsDouble(r);
            if ((keepLastWithoutPatience && cfg.patience() == 0) || s.bestEpoch == 0 || sc > s.bestScore) {
                s.bestScore = sc;
                s.bestEpoch = epoch;
                s.badEpochs = 0;
                s.best = new ArrayList<float[]>();
                for (float[] p : s.params) {
                    s.best.add(p.clone());
                }
            } else {
                s.badEpochs++;
                if (cfg.patience() > 0 && s.badEpochs >= cfg.patience()) {
                    s.stoppedEarly = true;
                }
            }
            s.epochsDone = epoch;
            s.history.add(r.toMap());
            if (checkpointDir != null) {
                Checkpoints.write(checkpointDir, s);
            }
            LOG.debug("{}{}", phase == null ? "" : phase + " ", r);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(r);
            }
        }
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(s.bestEpoch, s.stoppedEarly);
        }
        return s;
    }

    private TrainingException diverged(double loss, int epoch, int batch, double lr, int epochsDone) {
        return new TrainingException("Training " + (phase == null ? "" : "(" + phase + ") ") + "diverged: the loss became "
                + loss + " in epoch " + epoch + " (by batch " + batch + ", learning rate " + lr + "). "
                + (epochsDone > 0 && checkpointDir != null ? "The checkpoint of epoch " + epochsDone + " is kept in "
                + checkpointDir + "." : "No epoch finished, so there is no checkpoint.")
                + " Lower the learning rate and train again.");
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
