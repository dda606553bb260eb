package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An immutable list of labelled texts with a name (its file, usually) for error messages.
 *
 * <pre>{@code
 * TextDataset all = Datasets.read(Path.of("reviews.jsonl.gz"));
 * TextDataset.Split s = all.stratifiedSplit(0.2, 42);   // seeded, per-label proportions kept
 * }</pre>
 */
public final class TextDataset {
    private final String name;
    private final List<TextExample> examples;

    public TextDataset(String name, List<TextExample> examples) {
        this.name = name;
        this.examples = Collections.unmodifiableList(new ArrayList<TextExample>(examples));
    }

    /** Builds a dataset from parallel lists (for code, not files). */
    public static TextDataset of(String name, List<String> texts, List<String> labels) {
        if (texts.size() != labels.size()) {
            throw new InvalidInputException(name + ": " + texts.size() + " texts but " + labels.size() + " labels");
        }
        List<TextExample> ex = new ArrayList<TextExample>();
        for (int i = 0; i < texts.size(); i++) {
            ex.add(new TextExample(texts.get(i), labels.get(i), name + ":" + (i + 1)));
        }
        return new TextDataset(name, ex);
    }

    public String name() {
        return name;
    }

    public List<TextExample> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    public List<String> texts() {
        List<String> out = new ArrayList<String>(examples.size());
        for (TextExample e : examples) {
            out.add(e.text());
        }
        return out;
    }

    /** Distinct labels, sorted. */
    public List<String> labels() {
        TreeSet<String> s = new TreeSet<String>();
        for (TextExample e : examples) {
            s.add(e.label());
        }
        return new ArrayList<String>(s);
    }

    /** Examples per label, labels sorted. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<String, Integer>();
        for (String l : labels()) {
            m.put(l, 0);
        }
        for (TextExample e : examples) {
            m.put(e.label(), m.get(e.label()) + 1);
        }
        return m;
    }

    /** SHA-256 of the texts and labels in order: the dataset's identity in provenance and checkpoints. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (TextExample e : examples) {
                update(md, e.text());
                update(md, e.label());
            }
            return hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte x : d) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /**
     * Fails with a message naming the dataset when it cannot train a classifier: no examples, or
     * fewer than two classes.
     */
    public TextDataset requireTrainable() {
        Stratified.requireTrainable(name, examples.size(), labels());
        return this;
    }

    /**
     * A seeded stratified split: each label keeps its share in both parts; every label with at
     * least 2 examples gets at least one validation example, and every label keeps at least one
     * training example. The validation part is named after this dataset ("the validation split (10% of each label)
     * drawn from NAME"), so messages about it name the user's file.
     */
    public Split stratifiedSplit(double validationFraction, long seed) {
        return split(validationFraction, seed, true);
    }

    private Split split(double validationFraction, long seed, boolean keepOneForTraining) {
        List<String> labelOfEach = new ArrayList<String>(examples.size());
        for (TextExample e : examples) {
            labelOfEach.add(e.label());
        }
        boolean[] valid = Stratified.validationMask(labelOfEach, labels(), validationFraction, seed, keepOneForTraining);
        List<TextExample> t = new ArrayList<TextExample>();
        List<TextExample> v = new ArrayList<TextExample>();
        for (int i = 0; i < valid.length; i++) {
            (valid[i] ? v : t).add(examples.get(i));
        }
        return new Split(new TextDataset(Stratified.trainingSplitName(name), t),
                new TextDataset(Stratified.validationSplitName(name, validationFraction), v));
    }

    /**
     * A seeded stratified sample of {@code n} examples (per-label shares kept), in a seeded
     * shuffled order; e.g. 4,000 reviews from a file sorted by label.
     */
    public TextDataset stratifiedSample(int n, long seed) {
        if (n >= examples.size()) {
            return this;
        }
        List<TextExample> picked = new ArrayList<TextExample>(split((double) n / examples.size(), seed, false).validation().examples);
        java.util.Collections.shuffle(picked, new java.util.Random(seed));
        return new TextDataset(name + " (sample of " + picked.size() + ")", picked);
    }

    /** The same examples in a seeded shuffled order (e.g. before writing a file whose source was sorted by label). */
    public TextDataset shuffled(long seed) {
        List<TextExample> copy = new ArrayList<TextExample>(examples);
        java.util.Collections.shuffle(copy, new java.util.Random(seed));
        return new TextDataset(name, copy);
    }

    /** This dataset minus the examples (by identity of text and label) in {@code other}. */
    public TextDataset without(TextDataset other) {
        java.util.Set<TextExample> skip = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<TextExample, Boolean>());
        skip.addAll(other.examples);
        List<TextExample> out = new ArrayList<TextExample>();
        for (TextExample e : examples) {
            if (!skip.contains(e)) {
                out.add(e);
            }
        }
        return new TextDataset(name, out);
    }

    @Override
    public String toString() {
        return "TextDataset{" + name + ", " + examples.size() + " examples, " + counts() + '}';
    }

    /** A train part and a validation part. */
    public static final class Split {
        private final TextDataset train;
        private final TextDataset validation;

        public Split(TextDataset train, TextDataset validation) {
            this.train = train;
            this.validation = validation;
        }

        public TextDataset train() {
            return train;
        }

        public TextDataset validation() {
            return validation;
        }
    }
}
