package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The corpus vectors of {@code search --index FILE}, kept so that the next query does not embed the corpus again.
 *
 * <p>Format (JSON Lines): a header {@code {"format":"nnsdk-search-index","version":1,"model":...,"engine":...,
 * "modelSha256":...,"corpusSha256":...,"count":N,"dimension":D}}, then one {@code {"embedding":[...]}} per corpus
 * text, in corpus order. The index is used only when its header matches the corpus file's and the model's SHA-256
 * (model files and tokenizer) and the engine; otherwise it is rebuilt (written atomically).
 */
final class SearchIndex {
    static final String FORMAT = "nnsdk-search-index";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchIndex() {
    }

    /** What the vectors depend on: the header an index must carry to be used. */
    static ObjectNode key(String model, String engine, Path corpus) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", FORMAT);
        h.put("version", VERSION);
        h.put("model", model);
        h.put("engine", engine == null ? "default" : engine);
        h.put("modelSha256", modelSha256(ModelRepository.resolve(model)));
        h.put("corpusSha256", Checksums.sha256(corpus));
        return h;
    }

    /** One SHA-256 over the model's files (each by its recorded or computed SHA-256) and its tokenizer. */
    static String modelSha256(ModelDescriptor d) throws IOException {
        Map<String, String> parts = new TreeMap<String, String>();
        for (Map.Entry<ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            parts.put(e.getKey().id(), sha(e.getValue()));
        }
        if (d.text() != null) {
            parts.put("tokenizer", sha(d.text().tokenizer()));
        }
        MessageDigest md = Checksums.newDigest();
        md.update(parts.toString().getBytes(StandardCharsets.UTF_8));
        return Checksums.hex(md.digest());
    }

    private static String sha(Artifact a) throws IOException {
        return a.sha256() != null ? a.sha256() : Checksums.sha256(a.path());
    }

    /**
     * The vectors of {@code index} if it exists and matches {@code key} and {@code count}; else {@code null}, with the
     * reason on stderr.
     */
    static List<float[]> read(Path index, ObjectNode key, int count) throws IOException {
        if (!Files.isRegularFile(index)) {
            return null;
        }
        try (BufferedReader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            JsonNode h = JSON.readTree(r.readLine());
            for (java.util.Iterator<String> it = key.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (h == null || !key.get(f).equals(h.get(f))) {
                    System.err.println("index " + index + " was built for another " + f + "; rebuilding it");
                    return null;
                }
            }
            if (h.path("count").asInt(-1) != count) {
                System.err.println("index " + index + " holds " + h.path("count").asInt(-1) + " vectors for " + count
                        + " corpus texts; rebuilding it");
                return null;
            }
            int dim = h.path("dimension").asInt(-1);
            List<float[]> out = new ArrayList<float[]>(count);
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = JSON.readTree(line).get("embedding");
                if (e == null || e.size() != dim) {
                    System.err.println("index " + index + " line " + (out.size() + 2) + " is damaged; rebuilding it");
                    return null;
                }
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) e.get(i).asDouble();
                }
                out.add(v);
            }
            if (out.size() != count) {
                System.err.println("index " + index + " is truncated (" + out.size() + " of " + count + " vectors); rebuilding it");
                return null;
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            System.err.println("index " + index + " is not a search index (" + e.getOriginalMessage() + "); rebuilding it");
            return null;
        }
    }

    /** Writes the index atomically (the CLI's {@link AtomicOutput}). */
    static void write(Path index, ObjectNode key, List<float[]> vectors) throws IOException {
        ObjectNode h = key.deepCopy();
        h.put("count", vectors.size());
        h.put("dimension", vectors.isEmpty() ? 0 : vectors.get(0).length);
        try (AtomicOutput out = new AtomicOutput(index)) {
            out.writer().write(JSON.writeValueAsString(h));
            out.writer().write('\n');
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            for (float[] v : vectors) {
                g.writeStartObject();
                g.writeArrayFieldStart("embedding");
                for (float x : v) {
                    g.writeNumber(x);
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
            out.commit();
        }
    }
}
