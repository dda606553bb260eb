package dev.nnsdk.zoo.descriptor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The schema of {@code model.json}, the descriptor of a model directory and of each zoo catalog entry: one typed,
 * versioned document read and written by this class only. Every saver (fine-tuned text and image classifiers,
 * recommenders) builds one and calls {@link #write(Path)}; the zoo's resolver reads every descriptor through
 * {@link #bind(JsonNode, String)} before it resolves the artifacts. Fields (all optional unless said):
 * <ul>
 *   <li>{@code formatVersion}: the schema version, {@value #FORMAT_VERSION} today; absent means 1 (directories
 *       saved before the field existed). A reader refuses a version newer than its own.</li>
 *   <li>{@code id}, {@code task} (required): the model's name and task ({@code text-embedding},
 *       {@code text-classification}, {@code image-classification}, {@code recommendation}).</li>
 *   <li>{@code artifacts}: engine format ({@code onnx}, {@code torchscript}) to an artifact, a string source or
 *       {@code {"source", "sha256", "entry"}}; {@code inputs}, {@code outputs}: tensor names.</li>
 *   <li>{@code text}, {@code image}: the text and image pipelines (docs/models.md lists their fields).</li>
 *   <li>{@code backbone}: the frozen model a head or recommender was trained on ({@link Backbone}).</li>
 *   <li>{@code head} + {@code labels}: a fine-tuned classification head ({@link Head});
 *       {@code recommender}: a recommender's weights ({@link Weights}).</li>
 *   <li>{@code preprocessing}, {@code metrics}, {@code provenance}: informational records written by the savers.</li>
 * </ul>
 * Compatibility: a new field is added only as optional, with a default equal to the old behaviour, without a
 * version change; renaming or removing a field, or changing a default, raises {@code formatVersion}, and this
 * reader keeps reading every older version. Unknown top-level fields are refused (a typo never goes unnoticed).
 *
 * <pre>{@code
 * ModelJson m = ModelJson.read(Path.of("out/sentiment/model.json"));
 * System.out.println(m.task() + " " + m.labels());
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "id", "task", "description", "artifacts", "inputs", "outputs", "text", "image",
        "backbone", "head", "labels", "recommender", "preprocessing", "metrics", "provenance"})
public record ModelJson(Integer formatVersion, String id, String task, String description,
                        Map<String, JsonNode> artifacts, List<String> inputs, List<String> outputs,
                        JsonNode text, JsonNode image, Backbone backbone, Head head, List<String> labels,
                        Weights recommender, Map<String, Object> preprocessing, Map<String, Object> metrics,
                        Object provenance) {

    /** The schema version this release writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper READER = strict(new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES));
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The frozen model a head or recommender was trained on: its id, where it resolves from (a zoo id or a path
     * relative to the directory) and the SHA-256 of each of its artifacts, checked when the model loads.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backbone(String id, String source, Map<String, String> sha256) {
    }

    /**
     * A classification head: {@code type} {@code linear} or {@code mlp} (with {@code hidden} units and
     * {@code dropout}), the weights {@code file} (format {@code dev.nnsdk.format.HeadWeights}) and its SHA-256.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "hidden", "dropout", "file", "sha256", "format"})
    public record Head(String type, Integer hidden, Double dropout, String file, String sha256, String format) {
    }

    /**
     * A recommender's weights {@code file} (format {@code dev.nnsdk.format.RecommenderWeights}), its SHA-256 and,
     * for information, its sizes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"file", "sha256", "format", "users", "items", "dimension"})
    public record Weights(String file, String sha256, String format, Integer users, Integer items, Integer dimension) {
    }

    /**
     * Binds a parsed descriptor to the schema.
     *
     * @param where how errors name the descriptor (its file, or the catalog entry)
     * @throws ModelLoadException naming the field when a field is unknown or of the wrong type, or the version is newer
     */
    public static ModelJson bind(JsonNode json, String where) {
        if (json == null || !json.isObject()) {
            throw new ModelLoadException(where + " must be a JSON object");
        }
        ModelJson m;
        try {
            m = READER.treeToValue(json, ModelJson.class);
        } catch (JsonMappingException e) {
            throw new ModelLoadException(where + ": field '" + path(e) + "' " + problem(e, json), e);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(where + " is not a valid model descriptor: " + e.getOriginalMessage(), e);
        }
        if (m.formatVersion() != null && (m.formatVersion() < 1 || m.formatVersion() > FORMAT_VERSION)) {
            throw new ModelLoadException(where + ": field 'formatVersion' is " + m.formatVersion() + "; this release reads "
                    + "versions 1 to " + FORMAT_VERSION + " (a newer nnsdk wrote it: upgrade nnsdk)");
        }
        return m;
    }

    /** Reads and binds a {@code model.json} file; errors name the file, the line or the field. */
    public static ModelJson read(Path file) {
        JsonNode n;
        try {
            n = READER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return bind(n, file.toString());
    }

    /** Writes this descriptor as indented JSON to {@code file} (savers call it inside their atomic directory write). */
    public void write(Path file) throws IOException {
        WRITER.writeValue(file.toFile(), this);
    }

    /** The version this release writes. */
    public static Integer currentVersion() {
        return FORMAT_VERSION;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** No silent conversions: a number where a string belongs (or the reverse) is an error, not a guess. */
    private static ObjectMapper strict(ObjectMapper m) {
        for (com.fasterxml.jackson.databind.type.LogicalType t : new com.fasterxml.jackson.databind.type.LogicalType[] {
                com.fasterxml.jackson.databind.type.LogicalType.Textual, com.fasterxml.jackson.databind.type.LogicalType.Integer,
                com.fasterxml.jackson.databind.type.LogicalType.Float, com.fasterxml.jackson.databind.type.LogicalType.Boolean}) {
            m.coercionConfigFor(t)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                            t == com.fasterxml.jackson.databind.type.LogicalType.Integer
                                    || t == com.fasterxml.jackson.databind.type.LogicalType.Float
                                    ? com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert
                                    : com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                            t == com.fasterxml.jackson.databind.type.LogicalType.Float
                                    ? com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert
                                    : com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
                            t == com.fasterxml.jackson.databind.type.LogicalType.Textual
                                    ? com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert
                                    : com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                            t == com.fasterxml.jackson.databind.type.LogicalType.Boolean
                                    ? com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert
                                    : com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        }
        return m;
    }

    private static String problem(JsonMappingException e, JsonNode json) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                && !(e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException)) {
            Class<?> t = ((com.fasterxml.jackson.databind.exc.MismatchedInputException) e).getTargetType();
            JsonNode actual = json;
            for (JsonMappingException.Reference r : e.getPath()) {
                actual = actual == null ? null : r.getFieldName() != null ? actual.get(r.getFieldName()) : actual.get(r.getIndex());
            }
            if (t != null && actual != null) {
                return "must be " + describe(t) + ", not " + actual.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return problem(e);
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "is not part of the model.json schema (known fields: " + ((com.fasterxml.jackson.databind.exc
                    .UnrecognizedPropertyException) e).getKnownPropertyIds() + ")";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            Class<?> t = ((com.fasterxml.jackson.databind.exc.MismatchedInputException) e).getTargetType();
            return "has the wrong type" + (t == null ? "" : " (expected " + describe(t) + ")");
        }
        return e.getOriginalMessage();
    }

    private static String describe(Class<?> t) {
        if (t == String.class) {
            return "a string";
        }
        if (t == Integer.class || t == int.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(t)) {
            return "an array of strings";
        }
        return "an object";
    }
}
