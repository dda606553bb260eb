package dev.nnsdk.zoo.hub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Hugging Face transformers directory says: {@code config.json} ({@code architectures}, {@code model_type},
 * {@code max_position_embeddings}, {@code id2label}, {@code problem_type}), {@code tokenizer_config.json}
 * ({@code model_max_length}, special tokens) and {@code special_tokens_map.json}, checked against {@code tokenizer.json}.
 */
final class HfConfig {
    static final String CONFIG = "config.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS = "special_tokens_map.json";
    static final String TOKENIZER = "tokenizer.json";

    /** Model types whose positions start at padding_idx + 1 (fairseq heritage): usable length is the limit minus 2. */
    private static final Set<String> OFFSET_POSITIONS = new HashSet<String>(Arrays.asList(
            "roberta", "xlm-roberta", "camembert", "longformer", "mpnet", "bart", "mbart"));

    List<String> architectures = new ArrayList<String>();
    String modelType;
    /** Longest sequence the position embeddings allow, or -1 when unknown. */
    long positionLimit = -1;
    String positionLimitField;
    /** {@code model_max_length}, or -1 (a "no limit" sentinel comes back as Long.MAX_VALUE). */
    long tokenizerMaxLength = -1;
    Map<Integer, String> id2label = new LinkedHashMap<Integer, String>();
    String problemType;
    int typeVocabSize = -1;
    /** sentence-transformers CrossEncoder {@code "sentence_transformers": {"activation_fn": "...Identity"}}: raw logits. */
    boolean crossEncoderIdentity;

    static HfConfig read(HubFiles f) {
        HfConfig c = new HfConfig();
        JsonNode cfg = f.json(CONFIG);
        if (cfg != null) {
            if (!cfg.isObject()) {
                throw f.error(CONFIG, null, "must be a JSON object");
            }
            JsonNode a = cfg.get("architectures");
            if (a != null && a.isArray()) {
                for (JsonNode s : a) {
                    c.architectures.add(s.asText());
                }
            }
            c.modelType = f.text(cfg, CONFIG, "model_type");
            c.problemType = f.text(cfg, CONFIG, "problem_type");
            long pos = f.integer(cfg, CONFIG, "max_position_embeddings");
            if (pos > 0) {
                c.positionLimit = OFFSET_POSITIONS.contains(c.modelType) ? pos - 2 : pos;
                c.positionLimitField = CONFIG + " max_position_embeddings = " + pos
                        + (OFFSET_POSITIONS.contains(c.modelType) ? " (" + c.modelType + " positions start at 2)" : "");
            }
            c.typeVocabSize = (int) f.integer(cfg, CONFIG, "type_vocab_size");
            String act = cfg.path("sentence_transformers").path("activation_fn").asText("");
            c.crossEncoderIdentity = act.endsWith("Identity");
            long numLabels = f.integer(cfg, CONFIG, "num_labels");
            JsonNode labels = cfg.get("id2label");
            if (labels != null && !labels.isNull()) {
                if (!labels.isObject()) {
                    throw f.error(CONFIG, "id2label", "must map class indices (\"0\", \"1\"...) to names");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    int k;
                    try {
                        k = Integer.parseInt(e.getKey().trim());
                    } catch (NumberFormatException ex) {
                        throw f.error(CONFIG, "id2label." + e.getKey(), "is not a class index");
                    }
                    c.id2label.put(k, e.getValue().asText());
                }
                if (numLabels > 0 && numLabels != c.id2label.size()) {
                    throw f.error(CONFIG, "id2label", "has " + c.id2label.size() + " labels but num_labels is " + numLabels);
                }
                for (int k = 0; k < c.id2label.size(); k++) {
                    if (!c.id2label.containsKey(k)) {
                        throw f.error(CONFIG, "id2label", "has no entry for class " + k + " (keys " + c.id2label.keySet()
                                + "); indices must run 0..n-1");
                    }
                }
            }
        }
        if (c.id2label.isEmpty() && cfg != null) {
            long numLabels = f.integer(cfg, CONFIG, "num_labels");
            for (int k = 0; k < numLabels; k++) {
                c.id2label.put(k, "LABEL_" + k);            // what transformers names them when id2label is absent
            }
        }
        JsonNode tc = f.json(TOKENIZER_CONFIG);
        if (tc != null && tc.isObject()) {
            c.tokenizerMaxLength = f.integer(tc, TOKENIZER_CONFIG, "model_max_length");
        }
        return c;
    }

    /**
     * Checks that every special token {@code special_tokens_map.json} / {@code tokenizer_config.json} name is in
     * {@code tokenizer.json}, and that the tokenizer adds the special tokens a BERT-style encoder expects.
     *
     * @param needsClsFirst whether pooling reads the first token (CLS pooling)
     */
    static void checkTokenizer(HubFiles f, boolean needsClsFirst) {
        JsonNode tok = f.json(TOKENIZER);
        if (tok == null || !tok.isObject()) {
            return;
        }
        Set<String> known = new HashSet<String>();
        JsonNode vocab = tok.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Iterator<String> it = vocab.fieldNames(); it.hasNext(); ) {
                known.add(it.next());
            }
        } else if (vocab.isArray()) {                     // Unigram: [[piece, score], ...]
            for (JsonNode v : vocab) {
                known.add(v.path(0).asText());
            }
        }
        for (JsonNode a : tok.path("added_tokens")) {
            known.add(a.path("content").asText());
        }
        for (String rel : new String[] {SPECIAL_TOKENS, TOKENIZER_CONFIG}) {
            JsonNode m = f.json(rel);
            if (m == null || !m.isObject()) {
                continue;
            }
            for (String field : new String[] {"cls_token", "sep_token", "pad_token", "unk_token", "mask_token", "bos_token", "eos_token"}) {
                JsonNode v = m.get(field);
                String content = v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.path("content").asText(null);
                if (content != null && !known.isEmpty() && !known.contains(content)) {
                    throw f.error(rel, field, "is '" + content + "', which " + TOKENIZER + " does not have (neither in "
                            + "model.vocab nor in added_tokens): the tokenizer does not match the model");
                }
            }
        }
        if (needsClsFirst && tok.has("post_processor") && tok.get("post_processor").isNull()) {
            throw f.error(TOKENIZER, "post_processor", "is null, so no [CLS] token is added; the pooling reads the first "
                    + "token, which would then be a word. Use the tokenizer.json the model was exported with");
        }
    }
}
