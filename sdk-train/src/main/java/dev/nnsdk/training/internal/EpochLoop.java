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

        /** The epoch just validated is now the kept one (its weights are what training returns). */
        default void onKept(int epoch) {
        }

        /**
         * Before {@code checkpoint.json} is written: store what does not fit in {@code s} (e.g. a binary file in
         * {@code dir}, named in {@code s.extra}) and the running sums of a partial epoch.
         */
        default void beforeCheckpoint(TrainState s, java.nio.file.Path dir) {
        }

        /** After {@code checkpoint.json} was replaced: files of older checkpoints can go. */
        default void afterCheckpoint(TrainState s, java.nio.file.Path dir) {
        }

        /** Resuming inside epoch {@code epoch} after {@code stepsDone} steps: restore the partial epoch's running sums. */
        default void resumeEpoch(int epoch, int stepsDone, TrainState s) {
        }
    }

    private final TrainingConfig cfg;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final String phase;
    private final boolean keepLastWithoutPatience;
    private final ToDoubleFunction<EpochResult> score;
    private int checkpointEverySteps;
    private int stopAfterEpoch = Integer.MAX_VALUE;

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
     * Also checkpoints every {@code steps} optimizer steps inside an epoch (0: after each epoch only). Only for
     * objectives whose epoch draws its randomness in {@link Objective#beginEpoch} (a resumed epoch replays
     * {@code beginEpoch}, then skips the steps done), e.g. backbone training.
     */
    public EpochLoop withStepCheckpoints(int steps) {
        this.checkpointEverySteps = steps;
        return this;
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

    /**
     * Ends the run after epoch {@code epoch} although the schedule still spans {@link TrainingConfig#epochs()}: a
     * refit replays the first epochs of a longer, selected run (with patience 0 the last epoch is kept).
     */
    EpochLoop stopAfterEpoch(int epoch) {
        this.stopAfterEpoch = Math.max(1, epoch);
        return this;
    }

    /** Runs the remaining epochs of {@code s} (fresh or from a checkpoint) and returns the final state. */
    public TrainState run(TrainState s, Objective objective) {
        int n = objective.examples();
        int bs = Math.min(cfg.batchSize(), n);
        int steps = (n + bs - 1) / bs;
        long totalSteps = (long) steps * cfg.epochs();
        for (TrainingListener l : listeners) {
            if (phase == null) {
                l.onTrainingStart(s.epochsDone + 1, cfg.epochs(), steps);
            } else {
                l.onTrainingStart("train " + phase, s.epochsDone + 1, cfg.epochs(), steps);   // e.g. "train mf"
            }
        }
        int lastEpoch = Math.min(cfg.epochs(), stopAfterEpoch);
        for (int epoch = s.epochsDone + 1; epoch <= lastEpoch && !s.stoppedEarly; epoch++) {
            long t0 = System.nanoTime();
            objective.beginEpoch(epoch, new Random(cfg.seed() * 1_000_003L + epoch));
            int first = 0;
            if (s.stepInEpoch > 0) {
                first = s.stepInEpoch;
                objective.resumeEpoch(epoch, first, s);
                LOG.info("Resuming epoch {} after step {} of {}", epoch, first, steps);
            }
            double lr = cfg.learningRate();
            for (int b = first; b < steps; b++) {
                dev.nnsdk.CancelledException.checkInterrupted("training in epoch " + epoch + " at batch " + b + " of " + steps);
                int from = b * bs;
                int to = Math.min(n, from + bs);
                lr = cfg.schedule().rate(cfg.learningRate(), s.step, totalSteps, epoch - 1);
                Double running = objective.step(b, steps, from, to, lr, s.step + 1);
                if (running != null) {
                    if (running.isNaN() || running.isInfinite()) {
                        throw diverged(running, epoch, b + 1, lr, s);
                    }
                }
                s.step++;
                if (running != null) {
                    for (TrainingListener l : listeners) {
                        l.onBatchEnd(epoch, b + 1, steps, running);
                    }
                }
                if (checkpointDir != null && checkpointEverySteps > 0 && s.step % checkpointEverySteps == 0
                        && b + 1 < steps) {
                    s.stepInEpoch = b + 1;
                    checkpoint(s, objective);
                }
            }
            s.stepInEpoch = 0;
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
                objective.onKept(epoch);
            } else {
                s.badEpochs++;
                if (cfg.patience() > 0 && s.badEpochs >= cfg.patience()) {
                    s.stoppedEarly = true;
                }
            }
            s.epochsDone = epoch;
            s.history.add(r.toMap());
            if (checkpointDir != null) {
                checkpoint(s, objective);
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

    private void checkpoint(TrainState s, Objective objective) {
        objective.beforeCheckpoint(s, checkpointDir);
        Checkpoints.write(checkpointDir, s);
        objective.afterCheckpoint(s, checkpointDir);
        lastCheckpoint = s.stepInEpoch > 0 ? "epoch " + (s.epochsDone + 1) + " step " + s.stepInEpoch
                : "epoch " + s.epochsDone;
    }

    /** What the last checkpoint written by this loop holds ({@code null}: none yet). */
    private String lastCheckpoint;

    private TrainingException diverged(double loss, int epoch, int batch, double lr, TrainState s) {
        String kept = lastCheckpoint != null ? lastCheckpoint
                : s.epochsDone > 0 || s.stepInEpoch > 0 ? "epoch " + s.epochsDone : null;
        return new TrainingException("Training " + (phase == null ? "" : "(" + phase + ") ") + "diverged: the loss became "
                + loss + " in epoch " + epoch + " (by batch " + batch + ", learning rate " + lr + "). "
                + (kept != null && checkpointDir != null ? "The checkpoint of " + kept + " is kept in "
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
