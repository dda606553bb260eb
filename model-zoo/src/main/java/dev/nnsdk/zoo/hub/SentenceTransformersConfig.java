package dev.nnsdk.zoo.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnsdk.repository.TextSpec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a sentence-transformers directory says about its pipeline: {@code modules.json} (Transformer, Pooling,
 * Normalize), the pooling module's {@code config.json}, {@code sentence_bert_config.json} ({@code max_seq_length},
 * {@code do_lower_case}) and {@code config_sentence_transformers.json} ({@code prompts}, {@code default_prompt_name},
 * {@code similarity_fn_name}).
 */
final class SentenceTransformersConfig {

    static final String MODULES = "modules.json";
    static final String BERT_CONFIG = "sentence_bert_config.json";
    static final String ST_CONFIG = "config_sentence_transformers.json";

    /** pooling_mode_* flags of sentence_transformers.models.Pooling, in its order. */
    private static final Map<String, TextSpec.Pooling> MODES = new LinkedHashMap<String, TextSpec.Pooling>();

    static {
        MODES.put("pooling_mode_cls_token", TextSpec.Pooling.CLS);
        MODES.put("pooling_mode_mean_tokens", TextSpec.Pooling.MEAN);
        MODES.put("pooling_mode_max_tokens", TextSpec.Pooling.MAX);
        MODES.put("pooling_mode_mean_sqrt_len_tokens", TextSpec.Pooling.MEAN_SQRT_LEN);
        MODES.put("pooling_mode_weightedmean_tokens", TextSpec.Pooling.WEIGHTED_MEAN);
        MODES.put("pooling_mode_lasttoken", TextSpec.Pooling.LAST_TOKEN);
    }

    /** Whether the directory is a sentence-transformers model. */
    final boolean present;
    /** Pooling, or {@code null} when no pooling module is configured. */
    TextSpec.Pooling pooling;
    String poolingFile;
    boolean includePrompt = true;
    boolean normalize;
    /** {@code max_seq_length}, or -1. */
    long maxSeqLength = -1;
    boolean lowerCase;
    String queryPrompt = "";
    String documentPrompt = "";
    String similarity;

    private SentenceTransformersConfig(boolean present) {
        this.present = present;
    }

    static SentenceTransformersConfig read(HubFiles f) {
        JsonNode modules = f.json(MODULES);
        SentenceTransformersConfig c = new SentenceTransformersConfig(modules != null || f.has(BERT_CONFIG));
        if (modules != null) {
            c.readModules(f, modules);
        } else if (f.has("1_Pooling/config.json")) {
            c.readPooling(f, "1_Pooling/config.json");
            c.normalize = f.has("2_Normalize") || java.nio.file.Files.isDirectory(f.dir().resolve("2_Normalize"));
        }
        JsonNode bert = f.json(BERT_CONFIG);
        if (bert != null) {
            if (!bert.isObject()) {
                throw f.error(BERT_CONFIG, null, "must be a JSON object");
            }
            c.maxSeqLength = f.integer(bert, BERT_CONFIG, "max_seq_length");
            c.lowerCase = f.bool(bert, BERT_CONFIG, "do_lower_case", false);
        }
        JsonNode st = f.json(ST_CONFIG);
        if (st != null) {
            c.readPrompts(f, st);
        }
        return c;
    }

    private void readModules(HubFiles f, JsonNode modules) {
        if (!modules.isArray()) {
            throw f.error(MODULES, null, "must be a JSON array of {\"idx\", \"name\", \"path\", \"type\"}");
        }
        List<String> types = new ArrayList<String>();
        for (int i = 0; i < modules.size(); i++) {
            JsonNode m = modules.get(i);
            String field = "[" + i + "].type";
            String type = m.isObject() ? f.text(m, MODULES, "type") : null;
            if (type == null) {
                throw f.error(MODULES, field, "is missing");
            }
            String path = f.text(m, MODULES, "path");
            String simple = type.substring(type.lastIndexOf('.') + 1);
            types.add(simple);
            if (simple.equals("Transformer") || simple.equals("CLIPModel")) {
                if (i != 0) {
                    throw f.error(MODULES, field, "is " + type + " at position " + i + "; the transformer must come first");
                }
            } else if (simple.equals("Pooling")) {
                readPooling(f, (path == null || path.isEmpty() ? "" : path + "/") + "config.json");
            } else if (simple.equals("Normalize")) {
                normalize = true;
            } else {
                throw f.error(MODULES, field, "is " + type + " (module '" + path + "'), which the SDK does not run: its "
                        + "vectors would be wrong without it. Supported modules: Transformer, Pooling, Normalize. Export the "
                        + "whole pipeline to one ONNX file (output = the sentence embedding) and describe it with model.json "
                        + "\"pooling\": \"none\"");
            }
        }
        if (types.isEmpty()) {
            throw f.error(MODULES, null, "lists no module");
        }
    }

    private void readPooling(HubFiles f, String rel) {
        JsonNode p = f.json(rel);
        if (p == null) {
            throw f.error(rel, null, "is missing, but " + MODULES + " lists a Pooling module there; it says which pooling "
                    + "(cls, mean, max...) the model was trained with");
        }
        if (!p.isObject()) {
            throw f.error(rel, null, "must be a JSON object");
        }
        poolingFile = rel;
        List<String> on = new ArrayList<String>();
        String mode = f.text(p, rel, "pooling_mode");
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("pooling_mode_")) {
                if (!MODES.containsKey(e.getKey())) {
                    throw f.error(rel, e.getKey(), "is an unknown pooling mode; known: " + MODES.keySet());
                }
                if (f.bool(p, rel, e.getKey(), false)) {
                    on.add(e.getKey());
                }
            }
        }
        if (mode != null) {
            try {
                pooling = TextSpec.Pooling.parse(mode.replace("lasttoken", "last_token").replace("weightedmean", "weighted_mean")
                        .replace("mean_sqrt_len_tokens", "mean_sqrt_len"));
            } catch (IllegalArgumentException ex) {
                throw f.error(rel, "pooling_mode", "is '" + mode + "': " + ex.getMessage());
            }
        } else if (on.size() == 1) {
            pooling = MODES.get(on.get(0));
        } else if (on.isEmpty()) {
            throw f.error(rel, null, "turns no pooling mode on; set exactly one of " + MODES.keySet() + " to true");
        } else {
            throw f.error(rel, null, "turns several pooling modes on " + on + " (sentence-transformers concatenates them); "
                    + "the SDK pools one way: keep one");
        }
        includePrompt = f.bool(p, rel, "include_prompt", true);
        if (pooling == TextSpec.Pooling.CLS || pooling == TextSpec.Pooling.LAST_TOKEN) {
            includePrompt = true;          // sentence-transformers ignores include_prompt for these
        }
    }

    private void readPrompts(HubFiles f, JsonNode st) {
        similarity = f.text(st, ST_CONFIG, "similarity_fn_name");
        JsonNode prompts = st.get("prompts");
        if (prompts == null || prompts.isNull()) {
            return;
        }
        if (!prompts.isObject()) {
            throw f.error(ST_CONFIG, "prompts", "must map a prompt name to its text, e.g. {\"query\": \"query: \"}");
        }
        Map<String, String> byName = new LinkedHashMap<String, String>();
        for (Iterator<Map.Entry<String, JsonNode>> it = prompts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw f.error(ST_CONFIG, "prompts." + e.getKey(), "must be a string, not " + e.getValue());
            }
            byName.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
        }
        queryPrompt = first(byName, "query", "search_query", "queries");
        documentPrompt = first(byName, "document", "passage", "search_document", "documents", "corpus", "doc");
        String dflt = f.text(st, ST_CONFIG, "default_prompt_name");
        if (dflt != null) {
            String text = byName.get(dflt.toLowerCase(Locale.ROOT));
            if (text == null) {
                throw f.error(ST_CONFIG, "default_prompt_name", "is '" + dflt + "', which is not a key of prompts "
                        + byName.keySet());
            }
            if (documentPrompt.isEmpty()) {
                documentPrompt = text;
            }
        }
    }

    private static String first(Map<String, String> m, String... keys) {
        for (String k : keys) {
            String v = m.get(k);
            if (v != null) {
                return v;
            }
        }
        return "";
    }
}
