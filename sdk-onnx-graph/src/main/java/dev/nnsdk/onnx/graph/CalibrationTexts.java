package dev.nnsdk.onnx.graph;

import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.Tokenizers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Texts turned into model feeds ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}) with the model's
 * own tokenizer.json (through the SDK's tokenizer plug-in, model-zoo's Hugging Face tokenizer), batched and padded to the longest text. {@link #builtIn()} are the SDK's calibration texts:
 * 79 English sentences of mixed kinds (reviews, news, questions, technical, narrative, numbers), written for this,
 * followed by passages made of consecutive sentences (4 and 12 at a time), so that activation ranges are observed at
 * every position up to the model's maximum length and not only at the first ~20 (a sentence's length): the
 * position embeddings make the ranges of later positions differ.
 */
public final class CalibrationTexts {
    private CalibrationTexts() {
    }

    public static List<String> builtIn() {
        try (InputStream in = CalibrationTexts.class.getResourceAsStream("calibration-texts.txt")) {
            if (in == null) {
                throw new IllegalStateException("calibration-texts.txt is missing from sdk-onnx-graph's jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> sentences = new ArrayList<String>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.trim().isEmpty()) {
                    sentences.add(line.trim());
                }
            }
            List<String> out = new ArrayList<String>(sentences);
            out.addAll(passages(sentences, 4));
            out.addAll(passages(sentences, 12));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the built-in calibration texts: " + e.getMessage(), e);
        }
    }

    /** Consecutive groups of {@code n} sentences joined by a space (the last group may be shorter). */
    static List<String> passages(List<String> sentences, int n) {
        List<String> out = new ArrayList<String>();
        for (int i = 0; i < sentences.size(); i += n) {
            out.add(String.join(" ", sentences.subList(i, Math.min(sentences.size(), i + n))));
        }
        return out;
    }

    /**
     * Feeds for a BERT-style model whose inputs are among input_ids / attention_mask / token_type_ids.
     * @param inputs the model's input names (only these are fed)
     */
    public static List<Map<String, long[][]>> feeds(Path tokenizerJson, List<String> texts, int batch, List<String> inputs) {
        try (Tokenizer tok = Tokenizers.create(tokenizerJson, 256)) {
            List<Map<String, long[][]>> out = new ArrayList<Map<String, long[][]>>();
            for (int i = 0; i < texts.size(); i += batch) {
                List<String> b = texts.subList(i, Math.min(texts.size(), i + batch));
                List<Encoding> enc = tok.encodeAll(b);
                int len = 0;
                for (Encoding e : enc) {
                    len = Math.max(len, e.length());
                }
                long[][] ids = new long[enc.size()][len];
                long[][] mask = new long[enc.size()][len];
                long[][] types = new long[enc.size()][len];
                for (int j = 0; j < enc.size(); j++) {
                    long[] x = enc.get(j).ids();
                    long[] t = enc.get(j).typeIds();
                    for (int k = 0; k < x.length; k++) {
                        ids[j][k] = x[k];
                        mask[j][k] = 1;
                        types[j][k] = t[k];
                    }
                }
                Map<String, long[][]> f = new LinkedHashMap<String, long[][]>();
                for (String name : inputs) {
                    if (name.equals("input_ids")) {
                        f.put(name, ids);
                    } else if (name.equals("attention_mask")) {
                        f.put(name, mask);
                    } else if (name.equals("token_type_ids")) {
                        f.put(name, types);
                    } else {
                        throw new IllegalArgumentException("Cannot feed calibration texts to input '" + name
                                + "': only input_ids, attention_mask and token_type_ids are known");
                    }
                }
                out.add(f);
            }
            return out;
        }
    }
}
