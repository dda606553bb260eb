package dev.nnsdk.inference;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** (query, passage) pairs through a one-logit sequence-classification head. */
final class CrossEncoderImpl implements CrossEncoder {
    private final HeadModel head;

    CrossEncoderImpl(HeadModel head) {
        this.head = head;
        if (head.spec.labels().size() != 1) {
            throw new dev.nnsdk.ModelLoadException("Model '" + head.descriptor.id() + "' has " + head.spec.labels().size()
                    + " labels; a cross-encoder has one logit (config.json id2label with one entry)");
        }
    }

    @Override
    public float score(String query, String passage) {
        return scores(query, Collections.singletonList(passage))[0];
    }

    @Override
    public float[] scores(String query, List<String> passages) {
        head.guard.enter();
        try {
            List<String> qs = new ArrayList<String>(passages.size());
            for (int i = 0; i < passages.size(); i++) {
                qs.add(query == null ? "" : query);
            }
            List<Encoding> enc;
            try {
                enc = head.tokenizer.encodePairs(qs, passages);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            float[][] logits = head.logits(enc);
            TextSpec.Activation a = head.spec.activation() == null ? TextSpec.Activation.SIGMOID : head.spec.activation();
            float[] out = new float[passages.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = HeadModel.activate(logits[i], 0, 1, a)[0];
            }
            return out;
        } finally {
            head.guard.exit();
        }
    }

    @Override
    public List<ScoredText> rerank(String query, List<String> passages, int k) {
        final float[] s = scores(query, passages);
        List<ScoredText> all = new ArrayList<ScoredText>(passages.size());
        for (int i = 0; i < s.length; i++) {
            all.add(new ScoredText(i, passages.get(i) == null ? "" : passages.get(i), s[i]));
        }
        Collections.sort(all, (a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
                : Integer.compare(a.index(), b.index()));
        return all.subList(0, Math.max(0, Math.min(k, all.size())));
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
