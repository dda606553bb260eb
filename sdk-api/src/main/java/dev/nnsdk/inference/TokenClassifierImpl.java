package dev.nnsdk.inference;

import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Token classification with transformers' aggregation ({@code TokenClassificationPipeline.aggregate},
 * {@code aggregate_words}, {@code group_entities}): special tokens skipped; a token is a sub-word when it carries the
 * tokenizer's continuing-subword prefix ({@code ##}), or, for tokenizers without one, when it starts inside a word.
 */
final class TokenClassifierImpl implements TokenClassifier {
    private final HeadModel head;
    private final List<String> labels;

    TokenClassifierImpl(HeadModel head) {
        this.head = head;
        this.labels = head.spec.labels();
    }

    @Override
    public List<EntitySpan> entities(String text, Aggregation aggregation) {
        return entitiesAll(Collections.singletonList(text), aggregation).get(0);
    }

    @Override
    public List<List<EntitySpan>> entitiesAll(List<String> texts, Aggregation aggregation) {
        head.guard.enter();
        try {
            List<Encoding> enc = head.tokenizer.encodeWithOffsets(clean(texts));
            float[][] logits = head.logits(enc);
            List<List<EntitySpan>> out = new ArrayList<List<EntitySpan>>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i) == null ? "" : texts.get(i);
                out.add(aggregate(t, enc.get(i), probabilities(logits[i], enc.get(i).length()), aggregation));
            }
            return out;
        } finally {
            head.guard.exit();
        }
    }

    @Override
    public List<float[][]> tokenProbabilities(List<String> texts) {
        head.guard.enter();
        try {
            List<Encoding> enc = head.tokenizer.encodeWithOffsets(clean(texts));
            float[][] logits = head.logits(enc);
            List<float[][]> out = new ArrayList<float[][]>();
            for (int i = 0; i < texts.size(); i++) {
                out.add(probabilities(logits[i], enc.get(i).length()));
            }
            return out;
        } finally {
            head.guard.exit();
        }
    }

    private static List<String> clean(List<String> texts) {
        List<String> c = new ArrayList<String>(texts.size());
        for (String t : texts) {
            c.add(t == null ? "" : t);
        }
        return c;
    }

    private float[][] probabilities(float[] logits, int len) {
        int w = labels.size();
        TextSpec.Activation a = head.spec.activation() == null ? TextSpec.Activation.SOFTMAX : head.spec.activation();
        float[][] p = new float[len][];
        for (int t = 0; t < len; t++) {
            p[t] = HeadModel.activate(logits, t * w, w, a);
        }
        return p;
    }

    /** One token or word before grouping. */
    private static final class Piece {
        final int index;
        final float[] scores;
        final int start;
        final int end;
        final boolean subword;
        String label;
        float score;

        Piece(int index, float[] scores, int start, int end, boolean subword) {
            this.index = index;
            this.scores = scores;
            this.start = start;
            this.end = end;
            this.subword = subword;
        }
    }

    List<EntitySpan> aggregate(String text, Encoding e, float[][] probs, Aggregation a) {
        String prefix = head.tokenizer.continuingSubwordPrefix();
        List<Piece> pre = new ArrayList<Piece>();
        for (int t = 0; t < e.length(); t++) {
            if (e.isSpecial(t)) {
                continue;
            }
            String tok = e.tokens()[t];
            int s = e.start(t);
            boolean sub = prefix != null ? tok.startsWith(prefix)
                    : s > 0 && !Character.isWhitespace(text.charAt(s - 1)) && !Character.isWhitespace(text.charAt(s));
            pre.add(new Piece(t, probs[t], s, e.end(t), sub));
        }
        List<Piece> ents = new ArrayList<Piece>();
        if (a == Aggregation.NONE || a == Aggregation.SIMPLE) {
            for (Piece p : pre) {
                int k = argmax(p.scores);
                p.label = labels.get(k);
                p.score = p.scores[k];
                ents.add(p);
            }
        } else {
            List<List<Piece>> words = new ArrayList<List<Piece>>();
            List<Piece> cur = new ArrayList<Piece>();
            for (Piece p : pre) {
                if (!cur.isEmpty() && !p.subword) {
                    words.add(cur);
                    cur = new ArrayList<Piece>();
                }
                cur.add(p);
            }
            if (!cur.isEmpty()) {
                words.add(cur);
            }
            for (List<Piece> w : words) {
                float[] s;
                if (a == Aggregation.FIRST) {
                    s = w.get(0).scores;
                } else if (a == Aggregation.MAX) {
                    Piece best = w.get(0);
                    for (Piece p : w) {
                        if (max(p.scores) > max(best.scores)) {
                            best = p;
                        }
                    }
                    s = best.scores;
                } else {
                    s = new float[labels.size()];
                    for (int k = 0; k < s.length; k++) {
                        double sum = 0;
                        for (Piece p : w) {
                            sum += p.scores[k];
                        }
                        s[k] = (float) (sum / w.size());
                    }
                }
                Piece word = new Piece(-1, s, w.get(0).start, w.get(w.size() - 1).end, false);
                int k = argmax(s);
                word.label = labels.get(k);
                word.score = s[k];
                ents.add(word);
            }
        }
        List<EntitySpan> out = new ArrayList<EntitySpan>();
        if (a == Aggregation.NONE) {
            for (Piece p : ents) {
                if (!"O".equals(p.label)) {
                    out.add(new EntitySpan(p.label, p.start, p.end, p.score, text.substring(p.start, p.end), p.index));
                }
            }
            return out;
        }
        List<Piece> group = new ArrayList<Piece>();
        for (Piece p : ents) {
            if (!group.isEmpty()) {
                String[] bt = tag(p.label);
                String[] last = tag(group.get(group.size() - 1).label);
                if (!(bt[1].equals(last[1]) && !bt[0].equals("B"))) {
                    flush(text, group, out);
                    group = new ArrayList<Piece>();
                }
            }
            group.add(p);
        }
        if (!group.isEmpty()) {
            flush(text, group, out);
        }
        return out;
    }

    /** transformers' group_sub_entities; groups labelled O are dropped (ignore_labels). */
    private static void flush(String text, List<Piece> group, List<EntitySpan> out) {
        String label = group.get(0).label;
        int dash = label.indexOf('-');
        String type = dash >= 0 ? label.substring(dash + 1) : label;
        if (type.equals("O")) {
            return;
        }
        double sum = 0;
        for (Piece p : group) {
            sum += p.score;
        }
        int s = group.get(0).start;
        int e = group.get(group.size() - 1).end;
        out.add(new EntitySpan(type, s, e, (float) (sum / group.size()), text.substring(s, e), -1));
    }

    /** {bi, tag}: B-X -> (B, X), I-X -> (I, X), anything else -> (I, label). */
    private static String[] tag(String label) {
        if (label.startsWith("B-")) {
            return new String[] {"B", label.substring(2)};
        }
        if (label.startsWith("I-")) {
            return new String[] {"I", label.substring(2)};
        }
        return new String[] {"I", label};
    }

    private static int argmax(float[] v) {
        int k = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[k]) {
                k = i;
            }
        }
        return k;
    }

    private static float max(float[] v) {
        return v[argmax(v)];
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public String engine() {
        return head.engine();
    }

    @Override
    public void close() {
        head.close();
    }
}
