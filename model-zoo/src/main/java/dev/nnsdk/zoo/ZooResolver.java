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
import dev.nnsdk.zoo.hub.HubLayout;

import java.io.IOException;
import java.io.InputStream;
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
 * <p>A user directory holds a {@code model.json} (same schema as a catalog entry, with paths relative to the
 * directory), or the files a hub ships (sentence-transformers / Hugging Face, ONNX at the top or under {@code onnx/},
 * read by {@link HubLayout}), or both: a {@code model.json} without {@code artifacts} overrides what the hub files
 * say, field by field. See docs/models.md.
 */
public final class ZooResolver implements ModelResolver {

    /** Descriptor file name in a model directory. */
    public static final String DESCRIPTOR = "model.json";

    /** Duplicate keys are an error (a second "sha256" must not silently win). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static volatile Map<String, JsonNode> catalog;

    public ZooResolver() {
        CudaProbe.quiet();   // before any engine or tokenizer asks DJL to pick a native library
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
            return HubLayout.recognises(path) ? hubDirectory(path, null, null) : null;
        }
        if (path.getFileName() != null && path.getFileName().toString().equals(DESCRIPTOR)) {
            return readDescriptorFile(path);
        }
        ModelFormat f = ModelFormat.fromFileName(path.getFileName().toString());
        if (f == null) {
            return null;
        }
        Path sidecar = sidecarDescriptor(path);
        if (Files.isRegularFile(sidecar)) {
            return readDescriptorFile(sidecar);   // e.g. sentiment.onnx + sentiment.model.json from export-onnx
        }
        return hubDirectory(HubLayout.hubDirectory(path), path, null);
    }

    /**
     * The descriptor that may sit beside a single model file: {@code NAME.model.json} for {@code NAME.onnx} (what
     * {@code export-onnx} writes), so several exported models can share one directory.
     */
    public static Path sidecarDescriptor(Path modelFile) {
        String name = modelFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return modelFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "." + DESCRIPTOR);
    }

    /** The hub layout of {@code dir} ({@link HubLayout}), with a partial {@code model.json} put over it. */
    private static ModelDescriptor hubDirectory(Path dir, Path modelFile, Path overrideFile) {
        requireContained(dir);
        com.fasterxml.jackson.databind.node.ObjectNode n;
        try {
            n = HubLayout.describe(dir.toAbsolutePath(), modelFile);
        } catch (ModelLoadException e) {
            if (overrideFile == null) {
                throw e;
            }
            throw new ModelLoadException(overrideFile + " has no 'artifacts', so it is read as an override of the hub "
                    + "files beside it, and those say: " + e.getMessage(), e);
        }
        String where = dir + " (hub layout)";
        if (overrideFile != null) {
            n = HubLayout.merge(n, parse(overrideFile), overrideFile.toString());
            where = overrideFile + " over " + where;
        }
        return new DescriptorReader(where, dir.toAbsolutePath()).read(n);
    }

    /**
     * A hub directory is a containment boundary too: no file the hub reader may open (the directory and its
     * sub-directories such as {@code 1_Pooling/} and {@code onnx/}) may link outside it (or the SDK's cache).
     */
    private static void requireContained(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir, 2)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Containment.require(dir, p, dir.toString());
            }
        } catch (IOException e) {
            throw new ModelLoadException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code model.json}; errors name the file and the field. */
    public static ModelDescriptor readDescriptorFile(Path json) {
        JsonNode n = parse(json);
        Path dir = json.toAbsolutePath().getParent();
        if (n.isObject() && !n.has("artifacts") && !n.has("backbone") && HubLayout.recognises(dir)) {
            return hubDirectory(dir, null, json);       // a partial model.json: an override of the hub files
        }
        return new DescriptorReader(json.toString(), dir).read(n);
    }

    private static JsonNode parse(Path json) {
        JsonNode n;
        try {
            n = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(json + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + json + ": " + e.getMessage(), e);
        }
        return n;
    }
}
