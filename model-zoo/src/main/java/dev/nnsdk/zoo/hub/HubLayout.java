package dev.nnsdk.zoo.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.format.OnnxOps;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a model directory in the layout a hub ships it — sentence-transformers ({@code modules.json},
 * {@code 1_Pooling/config.json}, {@code 2_Normalize}, {@code sentence_bert_config.json},
 * {@code config_sentence_transformers.json}), Hugging Face transformers ({@code config.json},
 * {@code tokenizer.json}, {@code tokenizer_config.json}, {@code special_tokens_map.json}) and ONNX files at the top or
 * under {@code onnx/} (Optimum, transformers.js) — into a descriptor in {@code model.json}'s schema. A hand-written
 * {@code model.json} in the directory overrides what is read here field by field ({@link #merge}).
 *
 * <pre>{@code
 * ObjectNode descriptor = HubLayout.describe(Path.of("bge-small-en-v1.5"), null);
 * }</pre>
 *
 * See docs/models.md for every file and field read.
 */
public final class HubLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** ONNX file names in the order a directory's default is chosen (fp32 first). */
    private static final String[] ONNX_DEFAULTS = {"model.onnx", "onnx/model.onnx"};

    private HubLayout() {
    }

    /** Whether {@code dir} looks like a hub layout: a model file at the top or in {@code onnx/}. */
    public static boolean recognises(Path dir) {
        return !modelFiles(dir).isEmpty();
    }

    /**
     * The directory holding the hub files for {@code modelFile} (its parent, or the parent's parent for
     * {@code onnx/model.onnx}).
     */
    public static Path hubDirectory(Path modelFile) {
        Path parent = modelFile.toAbsolutePath().getParent();
        if (parent.getFileName() != null && parent.getFileName().toString().equals("onnx") && parent.getParent() != null
                && (Files.isRegularFile(parent.getParent().resolve(HfConfig.TOKENIZER))
                || Files.isRegularFile(parent.getParent().resolve(HfConfig.CONFIG)))) {
            return parent.getParent();
        }
        return parent;
    }

    /**
     * A descriptor for the directory in {@code model.json}'s schema (paths relative to {@code dir}).
     *
     * @param dir       the model directory
     * @param modelFile the model file the user named, or {@code null} to choose the directory's default
     * @throws ModelLoadException naming the file and field that is wrong, or listing what was found and what is missing
     */
    public static ObjectNode describe(Path dir, Path modelFile) {
        HubFiles f = new HubFiles(dir);
        List<String> models = modelFiles(dir);
        String onnx = null;
        String torchscript = null;
        if (modelFile != null) {
            String rel = dir.toAbsolutePath().relativize(modelFile.toAbsolutePath()).toString().replace('\\', '/');
            if (ModelFormat.fromFileName(rel) == ModelFormat.ONNX) {
                onnx = rel;
            } else {
                torchscript = rel;
            }
        } else {
            onnx = chooseOnnx(f, models);
            torchscript = chooseTorchScript(models);
        }
        if (onnx == null && torchscript == null) {
            throw new ModelLoadException(dir + " has no model file: looked for *.onnx at the top and under onnx/, and *.pt "
                    + "(TorchScript). Found: " + listing(dir));
        }
        if (!f.has(HfConfig.TOKENIZER)) {
            throw new ModelLoadException(dir + ": no tokenizer.json beside " + (onnx != null ? onnx : torchscript)
                    + ", so the SDK cannot tell how to turn text into token ids. Found: " + listing(dir) + ". Add the "
                    + "Hugging Face fast tokenizer (tokenizer.json) the model was exported with, or write a model.json "
                    + "(docs/models.md)");
        }
        SentenceTransformersConfig st = SentenceTransformersConfig.read(f);
        HfConfig hf = HfConfig.read(f);
        String head = st.present ? null : headArchitecture(hf);
        String task = ModelDescriptor.TEXT_EMBEDDING;
        String activation = null;
        if (head != null) {
            if (head.equals("ForSequenceClassification")) {
                if (hf.id2label.size() == 1) {
                    task = ModelDescriptor.TEXT_RANKING;
                    activation = hf.crossEncoderIdentity ? "none" : "sigmoid";
                } else {
                    task = ModelDescriptor.TEXT_CLASSIFICATION;
                    activation = "multi_label_classification".equals(hf.problemType) ? "sigmoid"
                            : "regression".equals(hf.problemType) ? "none" : "softmax";
                }
            } else if (head.equals("ForTokenClassification")) {
                task = ModelDescriptor.TOKEN_CLASSIFICATION;
                activation = "softmax";
            } else {
                throw f.error(HfConfig.CONFIG, "architectures", "is " + hf.architectures + ": the SDK runs text embedding, "
                        + "ForSequenceClassification (classification, cross-encoders) and ForTokenClassification heads, not "
                        + head);
            }
            if (hf.id2label.isEmpty()) {
                throw f.error(HfConfig.CONFIG, "id2label", "is missing; a " + head + " model needs its labels in logit order");
            }
        }
        TextSpec.Pooling pooling = st.pooling;
        String poolingFrom = st.poolingFile;
        if (pooling == null) {
            pooling = TextSpec.Pooling.MEAN;
            poolingFrom = "default (no modules.json / 1_Pooling/config.json: mean pooling and L2 normalisation assumed, "
                    + "as for sentence-transformers models; write model.json text.pooling to change it)";
        }
        boolean normalize = st.pooling == null || st.normalize;
        HfConfig.checkTokenizer(f, pooling == TextSpec.Pooling.CLS);

        long limit = hf.positionLimit;
        long maxLength;
        String maxFrom;
        if (st.maxSeqLength > 0) {
            if (limit > 0 && st.maxSeqLength > limit) {
                throw f.error(SentenceTransformersConfig.BERT_CONFIG, "max_seq_length", "is " + st.maxSeqLength
                        + ", more than the model's position limit " + limit + " (" + hf.positionLimitField + ")");
            }
            maxLength = st.maxSeqLength;
            maxFrom = SentenceTransformersConfig.BERT_CONFIG + " max_seq_length";
        } else if (hf.tokenizerMaxLength > 0 && hf.tokenizerMaxLength < 1_000_000) {
            maxLength = limit > 0 ? Math.min(limit, hf.tokenizerMaxLength) : hf.tokenizerMaxLength;
            maxFrom = HfConfig.TOKENIZER_CONFIG + " model_max_length" + (maxLength < hf.tokenizerMaxLength
                    ? " capped at " + hf.positionLimitField : "");
        } else if (limit > 0) {
            maxLength = limit;
            maxFrom = hf.positionLimitField;
        } else {
            maxLength = 512;
            maxFrom = "default 512 (no sentence_bert_config.json, tokenizer_config.json or config.json says)";
        }

        ObjectNode n = JSON.createObjectNode();
        n.put("id", dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
        n.put("task", task);
        ObjectNode arts = n.putObject("artifacts");
        boolean quantized = false;
        if (onnx != null) {
            arts.putObject("onnx").put("source", onnx);
            try {
                quantized = OnnxOps.isDynamicallyQuantized(dir.resolve(onnx));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
        }
        if (torchscript != null) {
            arts.putObject("torchscript").put("source", torchscript);
        }
        ArrayNode inputs = n.putArray("inputs").add("input_ids").add("attention_mask");
        if (hf.typeVocabSize != 1 && !"roberta".equals(hf.modelType) && !"xlm-roberta".equals(hf.modelType)) {
            inputs.add("token_type_ids");
        }
        ObjectNode text = n.putObject("text");
        text.putObject("tokenizer").put("source", HfConfig.TOKENIZER);
        text.put("maxLength", maxLength);
        if (limit > 0) {
            text.put("positionLimit", limit);
        }
        text.put("pooling", pooling.id());
        text.put("normalize", normalize);
        if (!st.includePrompt) {
            text.put("includePrompt", false);
        }
        if (st.lowerCase) {
            text.put("lowerCase", true);
        }
        if (!st.queryPrompt.isEmpty() || !st.documentPrompt.isEmpty()) {
            text.putObject("prompts").put("query", st.queryPrompt).put("document", st.documentPrompt);
        }
        if (quantized) {
            text.put("dynamicQuantized", true);
        }
        if (head != null) {
            ArrayNode labels = text.putArray("labels");
            for (int k = 0; k < hf.id2label.size(); k++) {
                labels.add(hf.id2label.get(k));
            }
            text.put("activation", activation);
            text.put("output", "logits");
        }
        n.put("description", "Hub layout in " + dir + " (read " + f.read() + "; pooling " + pooling.id() + " from "
                + poolingFrom + "; max length " + maxLength + " from " + maxFrom
                + (quantized ? "; dynamically quantised ONNX graph: one text per call" : "") + ")");
        return n;
    }

    /**
     * {@code base} with {@code override}'s fields put over it, objects merged recursively (a hand-written
     * {@code model.json} over what the hub files say). A {@code maxLength} above the model's position limit is refused.
     */
    public static ObjectNode merge(ObjectNode base, JsonNode override, String overrideName) {
        ObjectNode out = base.deepCopy();
        mergeInto(out, override);
        JsonNode t = out.get("text");
        if (t != null && t.has("positionLimit") && t.has("maxLength")
                && t.get("maxLength").asLong() > t.get("positionLimit").asLong()) {
            throw new ModelLoadException(overrideName + ": field 'text.maxLength' is " + t.get("maxLength") + ", more than "
                    + "the model's position limit " + t.get("positionLimit") + " (config.json max_position_embeddings)");
        }
        return out;
    }

    private static void mergeInto(ObjectNode base, JsonNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = base.get(e.getKey());
            if (old != null && old.isObject() && e.getValue().isObject() && !e.getKey().equals("artifacts")) {
                mergeInto((ObjectNode) old, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    /** A transformers task-head architecture ({@code BertForSequenceClassification}...), or {@code null}. */
    private static String headArchitecture(HfConfig hf) {
        for (String a : hf.architectures) {
            int i = a.indexOf("For");
            if (i > 0 && !a.endsWith("ForMaskedLM") && !a.endsWith("ForPreTraining")) {
                return a.substring(i);
            }
        }
        return null;
    }

    private static String chooseOnnx(HubFiles f, List<String> models) {
        List<String> onnx = new ArrayList<String>();
        for (String m : models) {
            if (ModelFormat.fromFileName(m) == ModelFormat.ONNX) {
                onnx.add(m);
            }
        }
        if (onnx.size() <= 1) {
            return onnx.isEmpty() ? null : onnx.get(0);
        }
        for (String d : ONNX_DEFAULTS) {
            if (onnx.contains(d)) {
                return d;
            }
        }
        throw new ModelLoadException(f.dir() + " has several ONNX files " + onnx + " and none is model.onnx; name the one to "
                + "load (pass its path, e.g. " + f.dir().resolve(onnx.get(0)) + ") or write a model.json with artifacts.onnx");
    }

    private static String chooseTorchScript(List<String> models) {
        String pt = null;
        for (String m : models) {
            if (ModelFormat.fromFileName(m) == ModelFormat.TORCHSCRIPT && !m.contains("/")) {
                if (pt != null) {
                    return null;            // ambiguous: onnx decides, or the user names the file
                }
                pt = m;
            }
        }
        return pt;
    }

    /** Model files at the top and under {@code onnx/}, relative, sorted. */
    static List<String> modelFiles(Path dir) {
        TreeSet<String> out = new TreeSet<String>();
        for (String sub : new String[] {"", "onnx/"}) {
            Path d = sub.isEmpty() ? dir : dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    if (Files.isRegularFile(p) && ModelFormat.fromFileName(p.getFileName().toString()) != null) {
                        out.add(sub + p.getFileName());
                    }
                }
            } catch (IOException e) {
                throw new ModelLoadException("Cannot list model directory " + d + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<String>(out);
    }

    private static String listing(Path dir) {
        List<String> names = new ArrayList<String>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : ""));
            }
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
        java.util.Collections.sort(names);
        return names.isEmpty() ? "nothing" : names.toString();
    }
}
