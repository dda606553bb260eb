package dev.nnsdk.training.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, per-class precision / recall / F1 / support, macro-F1 and the confusion matrix
 * (rows = true class, columns = predicted class). A class never predicted has precision 0; a
 * class absent from the truth has recall 0 and is left out of the macro average.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.compute(truth, predicted, labels);
 * double f1 = m.macroF1();
 * Map<String, Object> json = m.toMap();
 * }</pre>
 */
public final class ClassificationMetrics {
    private final List<String> labels;
    /** Non-zero cells of the confusion matrix, key {@code row * classes + col}: memory grows with the examples, not classes². */
    private final java.util.TreeMap<Long, Long> confusion;
    private final long total;
    private final double accuracy;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final long[] support;
    private final double macroF1;

    /**
     * Above this many classes {@link #toMap()} writes the confusion matrix as its non-zero cells
     * ({@code confusion_cells}: {@code [row, column, count]}) instead of {@code confusion_matrix}: 10,000
     * classes made a dense matrix of 10^8 numbers (a 301 MB metrics.json, 3.65 GB of memory).
     */
    public static final int DENSE_CONFUSION_MAX_CLASSES = 100;

    private ClassificationMetrics(List<String> labels, java.util.TreeMap<Long, Long> confusion) {
        this.labels = Collections.unmodifiableList(new ArrayList<String>(labels));
        this.confusion = confusion;
        int c = labels.size();
        long t = 0;
        long correct = 0;
        long[] predicted = new long[c];
        long[] diag = new long[c];
        support = new long[c];
        for (Map.Entry<Long, Long> e : confusion.entrySet()) {
            int i = (int) (e.getKey() / c);
            int j = (int) (e.getKey() % c);
            long v = e.getValue();
            t += v;
            support[i] += v;
            predicted[j] += v;
            if (i == j) {
                diag[i] += v;
                correct += v;
            }
        }
        total = t;
        accuracy = t == 0 ? 0 : correct / (double) t;
        precision = new double[c];
        recall = new double[c];
        f1 = new double[c];
        double sum = 0;
        int present = 0;
        for (int i = 0; i < c; i++) {
            precision[i] = predicted[i] == 0 ? 0 : diag[i] / (double) predicted[i];
            recall[i] = support[i] == 0 ? 0 : diag[i] / (double) support[i];
            f1[i] = precision[i] + recall[i] == 0 ? 0 : 2 * precision[i] * recall[i] / (precision[i] + recall[i]);
            if (support[i] > 0) {
                sum += f1[i];
                present++;
            }
        }
        macroF1 = present == 0 ? 0 : sum / present;
    }

    /** Metrics of predicted vs true class indices (both into {@code labels}). */
    public static ClassificationMetrics compute(int[] truth, int[] predicted, List<String> labels) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int c = labels.size();
        java.util.TreeMap<Long, Long> m = new java.util.TreeMap<Long, Long>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
                throw new IllegalArgumentException("example " + i + ": class " + truth[i] + " / " + predicted[i]
                        + " is not one of the " + c + " classes");
            }
            m.merge((long) truth[i] * c + predicted[i], 1L, Long::sum);
        }
        return new ClassificationMetrics(labels, m);
    }

    public double accuracy() {
        return accuracy;
    }

    public double macroF1() {
        return macroF1;
    }

    public long total() {
        return total;
    }

    public List<String> labels() {
        return labels;
    }

    public double precision(int cls) {
        return precision[cls];
    }

    public double recall(int cls) {
        return recall[cls];
    }

    public double f1(int cls) {
        return f1[cls];
    }

    /** Count of examples of true class {@code row} predicted as {@code col}. */
    public long confusion(int row, int col) {
        Long v = confusion.get((long) row * labels.size() + col);
        return v == null ? 0 : v;
    }

    /**
     * As JSON: {@code accuracy}, {@code macro_f1}, {@code examples}, {@code per_class} (label to
     * precision/recall/f1/support), {@code labels} and {@code confusion_matrix} (rows: true class), or,
     * above {@link #DENSE_CONFUSION_MAX_CLASSES} classes, {@code confusion_cells} (the non-zero cells).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        m.put("examples", total);
        Map<String, Object> per = new LinkedHashMap<String, Object>();
        for (int i = 0; i < labels.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<String, Object>();
            c.put("precision", precision[i]);
            c.put("recall", recall[i]);
            c.put("f1", f1[i]);
            c.put("support", support[i]);
            per.put(labels.get(i), c);
        }
        m.put("per_class", per);
        m.put("labels", labels);
        int c = labels.size();
        if (c <= DENSE_CONFUSION_MAX_CLASSES) {
            List<List<Long>> cm = new ArrayList<List<Long>>();
            for (int i = 0; i < c; i++) {
                List<Long> r = new ArrayList<Long>();
                for (int j = 0; j < c; j++) {
                    r.add(confusion(i, j));
                }
                cm.add(r);
            }
            m.put("confusion_matrix", cm);
        } else {
            List<List<Long>> cells = new ArrayList<List<Long>>();
            for (Map.Entry<Long, Long> e : confusion.entrySet()) {
                cells.add(java.util.Arrays.asList(e.getKey() / c, e.getKey() % c, e.getValue()));
            }
            m.put("confusion_cells", cells);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "accuracy %.4f, macro-F1 %.4f (%d examples)", accuracy, macroF1, total);
    }
}
