package dev.nnsdk.training.listener;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one epoch achieved: training loss/accuracy, validation loss/accuracy/macro-F1, learning rate. */
public final class EpochResult {
    private final int epoch;
    private final int epochs;
    private final double learningRate;
    private final double trainLoss;
    private final double trainAccuracy;
    private final double validLoss;
    private final double validAccuracy;
    private final double validMacroF1;
    private final double seconds;

    public EpochResult(int epoch, int epochs, double learningRate, double trainLoss, double trainAccuracy,
                       double validLoss, double validAccuracy, double validMacroF1, double seconds) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.trainLoss = trainLoss;
        this.trainAccuracy = trainAccuracy;
        this.validLoss = validLoss;
        this.validAccuracy = validAccuracy;
        this.validMacroF1 = validMacroF1;
        this.seconds = seconds;
    }

    /** 1-based epoch number. */
    public int epoch() {
        return epoch;
    }

    /** Epochs planned. */
    public int epochs() {
        return epochs;
    }

    /** Learning rate at the epoch's last step. */
    public double learningRate() {
        return learningRate;
    }

    public double trainLoss() {
        return trainLoss;
    }

    public double trainAccuracy() {
        return trainAccuracy;
    }

    public double validLoss() {
        return validLoss;
    }

    public double validAccuracy() {
        return validAccuracy;
    }

    public double validMacroF1() {
        return validMacroF1;
    }

    /** Wall time of the epoch (not part of the deterministic results). */
    public double seconds() {
        return seconds;
    }

    /** The value of a validation metric by name ({@code accuracy}, {@code macro_f1}, {@code loss}). */
    public double validMetric(String name) {
        switch (name) {
            case "accuracy":
                return validAccuracy;
            case "loss":
                return validLoss;
            default:
                return validMacroF1;
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("epoch", epoch);
        m.put("lr", learningRate);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("valid_loss", validLoss);
        m.put("valid_accuracy", validAccuracy);
        m.put("valid_macro_f1", validMacroF1);
        m.put("seconds", seconds);
        return m;
    }

    /** Rebuilds a result from {@link #toMap()} (checkpoints). */
    public static EpochResult fromMap(Map<String, Object> m, int epochs) {
        return new EpochResult(((Number) m.get("epoch")).intValue(), epochs, num(m, "lr"), num(m, "train_loss"),
                num(m, "train_accuracy"), num(m, "valid_loss"), num(m, "valid_accuracy"), num(m, "valid_macro_f1"),
                num(m, "seconds"));
    }

    private static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.4f, acc %.4f | valid loss %.4f, acc %.4f, macro-F1 %.4f",
                epoch, epochs, trainLoss, trainAccuracy, validLoss, validAccuracy, validMacroF1);
    }
}
