package dev.nnsdk.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.zoo.descriptor.ModelJson;
import dev.nnsdk.repository.ModelResolver;
import dev.nnsdk.repository.TextSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default {@link ModelResolver}: the built-in catalog ({@code dev/nnsdk/zoo/catalog.json}) and
 * model directories the user brings.
 *
 * <p>A user directory holds either a {@code model.json} (same schema as a catalog entry, with paths
 * relative to the directory), or a model file ({@code *.onnx} and/or {@code *.pt}) next to a
 * {@code tokenizer.json}, which is read as a sentence-embedding model (mean pooling, L2 norm).
 */
public final class ZooResolver implements ModelResolver {

    /** Descriptor file name in a model directory. */
    public static final String DESCRIPTOR = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Map<String, JsonNode> catalog;

    public ZooResolver() {
        HfTokenizerFactory.offlineDjl();
    }

    private static Map<String, JsonNode> catalog() {
        Map<String, JsonNode> c = catalog;
        if (c == null) {
            try (InputStream in = ZooResolver.class.getResourceAsStream("catalog.json")) {
                JsonNode root = JSON.readTree(in);
                Map<String, JsonNode> m = new LinkedHashMap<String, JsonNode>();
                for (JsonNode entry : root.get("models")) {
                    m.put(entry.get("id").asText(), entry);
                }
                catalog = c = Collections.unmodifiableMap(m);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("The model-zoo catalog is unreadable: " + e.getMessage(), e);
            }
        }
        return c;
    }

    @Override
    public List<String> ids() {
        List<String> ids = new ArrayList<String>(catalog().keySet());
        Collections.sort(ids);
        return ids;
    }

    /** The catalog entry's description, or {@code null}. */
    public static String description(String id) {
        JsonNode n = catalog().get(id);
        return n == null ? null : n.path("description").asText(null);
    }

    @Override
    public ModelDescriptor resolve(String id) {
        JsonNode entry = catalog().get(id);
        return entry == null ? null : new DescriptorReader("Catalog entry '" + id + "'", null).read(entry);
    }

    @Override
    public ModelDescriptor resolve(Path path) {
        if (Files.isDirectory(path)) {
            Path json = path.resolve(DESCRIPTOR);
            if (Files.isRegularFile(json)) {
                return readDescriptorFile(json);
            }
            return conventionalDirectory(path);
        }
        if (path.getFileName() != null && path.getFileName().toString().equals(DESCRIPTOR)) {
            return readDescriptorFile(path);
        }
        ModelFormat f = ModelFormat.fromFileName(path.getFileName().toString());
        if (f == null) {
            return null;
        }
        Path dir = path.toAbsolutePath().getParent();
        return textDirectory(dir, Collections.singletonMap(f, path), path.toString());
    }

    /** Reads a {@code model.json}; errors name the file and the field. */
    public static ModelDescriptor readDescriptorFile(Path json) {
        return new DescriptorReader(json.toString(), json.toAbsolutePath().getParent()).read(ModelJson.read(json));
    }

    private ModelDescriptor conventionalDirectory(Path dir) {
        Map<ModelFormat, Path> files = new LinkedHashMap<ModelFormat, Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                ModelFormat f = ModelFormat.fromFileName(p.getFileName().toString());
                if (f != null && Files.isRegularFile(p)) {
                    if (files.containsKey(f)) {
                        throw new ModelLoadException("Model directory " + dir + " has several " + f.id() + " files ("
                                + files.get(f).getFileName() + ", " + p.getFileName() + "); write a " + DESCRIPTOR + " naming one");
                    }
                    files.put(f, p);
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("Cannot list model directory " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            return null;
        }
        return textDirectory(dir, files, dir.toString());
    }

    private ModelDescriptor textDirectory(Path dir, Map<ModelFormat, Path> files, String where) {
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelLoadException(where + ": no " + DESCRIPTOR + " and no tokenizer.json beside the model file, so the SDK "
                    + "cannot tell how to feed it; write a " + DESCRIPTOR + " (see the README, 'Bring your own model')");
        }
        ModelDescriptor.Builder b = ModelDescriptor.builder()
                .setId(dir.getFileName() == null ? where : dir.getFileName().toString())
                .setTask(ModelDescriptor.TEXT_EMBEDDING)
                .optDescription("Local model in " + dir)
                .optInputNames(java.util.Arrays.asList("input_ids", "attention_mask", "token_type_ids"));
        for (Map.Entry<ModelFormat, Path> e : files.entrySet()) {
            b.addArtifact(e.getKey(), new Artifact(e.getValue(), null));
        }
        b.optText(new TextSpec(new Artifact(tokenizer, null), maxLength(dir), TextSpec.Pooling.MEAN, true, null));
        return b.build();
    }

    /** {@code model_max_length} from a Hugging Face {@code tokenizer_config.json}, else 512. */
    private static int maxLength(Path dir) {
        Path cfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            try {
                JsonNode n = JSON.readTree(cfg.toFile());
                long v = n.path("model_max_length").asLong(512);
                if (v >= 2 && v <= 8192) {
                    return (int) v;
                }
            } catch (IOException e) {
                throw new ModelLoadException(cfg + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        return 512;
    }
}
