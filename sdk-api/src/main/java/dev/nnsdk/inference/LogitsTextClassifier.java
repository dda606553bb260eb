package dev.nnsdk.inference;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Hugging Face {@code *ForSequenceClassification} export: logits per text (or text pair), labels from
 * {@code id2label}; softmax for single-label models, sigmoid for {@code multi_label_classification}.
 */
final class LogitsTextClassifier implements TextClassifier {
    private final HeadModel head;
    private final TextSpec.Activation activation;

    LogitsTextClassifier(HeadModel head) {
        this.head = head;
        this.activation = head.spec.activation() == null ? TextSpec.Activation.SOFTMAX : head.spec.activation();
    }

    @Override
    public Classification classify(String text) {
        return classify(text, 1).get(0);
    }

    @Override
    public List<Classification> classify(String text, int k) {
        return Classification.top(probabilities(Collections.singletonList(text)).get(0), labels(), k);
    }

    @Override
    public List<Classification> classifyAll(List<String> texts) {
        List<Classification> out = new ArrayList<Classification>(texts.size());
        for (float[] p : probabilities(texts)) {
            out.add(Classification.top(p, labels(), 1).get(0));
        }
        return out;
    }

    @Override
    public List<float[]> probabilities(List<String> texts) {
        head.guard.enter();
        try {
            List<String> clean = new ArrayList<String>(texts.size());
            for (String t : texts) {
                clean.add(t == null ? "" : t);
            }
            return activate(head.logits(head.tokenizer.encodeAll(clean)));
        } finally {
            head.guard.exit();
        }
    }

    @Override
    public List<float[]> pairProbabilities(List<String> first, List<String> second) {
        head.guard.enter();
        try {
            List<Encoding> enc;
            try {
                enc = head.tokenizer.encodePairs(first, second);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            return activate(head.logits(enc));
        } finally {
            head.guard.exit();
        }
    }

    private List<float[]> activate(float[][] logits) {
        List<float[]> out = new ArrayList<float[]>(logits.length);
        for (float[] l : logits) {
            out.add(HeadModel.activate(l, 0, l.length, activation));
        }
        return out;
    }

    @Override
    public boolean multiLabel() {
        return activation == TextSpec.Activation.SIGMOID;
    }

    @Override
    public List<String> labels() {
        return head.spec.labels();
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
