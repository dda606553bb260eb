package dev.nnsdk.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.zoo.descriptor.ModelJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one model descriptor (a catalog entry or a {@code model.json}) into a {@link ModelDescriptor}.
 * Artifact sources are {@code classpath:NAME} (copied into the cache), {@code assets:PATH} (under the
 * shared assets directory), a path relative to the descriptor's directory, or an {@code https://} URL
 * (downloaded into the cache when the user allows downloads, see {@link RemoteArtifacts}; its
 * {@code sha256} is required). An artifact that is an archive ({@code .zip}, {@code .tar.gz}) is
 * extracted into the cache ({@link ArchiveExtractor}); its optional {@code entry} names the model file in it.
 *
 * <p>Every error names the descriptor ({@code where}) and the field.
 */
final class DescriptorReader {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorReader.class);

    /** A plain file name: no separators, not "." or "..". */
    private static final Pattern SAFE_NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._+-]{1,200}");

    /** The tasks the SDK runs; any other is an error, never run as an embedder. */
    static final List<String> KNOWN_TASKS = java.util.Collections.unmodifiableList(java.util.Arrays.asList(
            ModelDescriptor.TEXT_EMBEDDING, ModelDescriptor.TEXT_CLASSIFICATION, ModelDescriptor.IMAGE_CLASSIFICATION,
            ModelDescriptor.TOKEN_CLASSIFICATION, ModelDescriptor.TEXT_RANKING, ModelDescriptor.RECOMMENDATION));

    private final String where;
    private final Path baseDir;

    /**
     * @param where   how errors name the descriptor (file path or "catalog entry 'id'")
     * @param baseDir directory relative paths resolve against, or {@code null}
     */
    DescriptorReader(String where, Path baseDir) {
        this.where = where;
        this.baseDir = baseDir;
    }

    ModelDescriptor read(JsonNode n) {
        return read(ModelJson.bind(n, where));
    }

    /** Resolves a descriptor bound to the schema: artifacts, backbone, head or recommender, text and image pipelines. */
    ModelDescriptor read(ModelJson n) {
        String task = required(n.task(), "task");
        if (!KNOWN_TASKS.contains(task)) {
            throw error("task", "is '" + task + "'; expected one of " + KNOWN_TASKS);
        }
        ModelDescriptor.Builder b = ModelDescriptor.builder()
                .setId(required(n.id(), "id"))
                .setTask(task)
                .optDescription(n.description())
                .optInputNames(n.inputs())
                .optOutputNames(n.outputs());
        if (ModelDescriptor.RECOMMENDATION.equals(n.task())) {
            return recommender(n, b);
        }
        ModelDescriptor backbone = null;
        Map<String, JsonNode> own = n.artifacts();
        if (n.backbone() != null) {
            // A model with artifacts of its own (a fine-tuned backbone's trained weights) runs those, never the
            // original backbone's files: those are only checked against the recorded checksums.
            backbone = backbone(n.backbone(), b, own == null || own.isEmpty());
        }
        if (n.head() != null) {
            b.optHead(head(n.head(), n.labels()));
        }
        Map<String, JsonNode> arts = n.artifacts();
        if (arts == null && backbone != null) {
            if (n.text() != null && backbone.text() != null) {
                b.optText(windowsOnly(n.text(), backbone.text()));
            } else if (backbone.text() != null) {
                b.optText(backbone.text());
            }
            if (n.image() == null && backbone.image() != null) {
                b.optImage(backbone.image());
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw error("", e.getMessage());
            }
        }
        if (arts == null || arts.isEmpty()) {
            throw error("artifacts", "is missing; it maps a format (onnx, torchscript) to {\"source\": ..., \"sha256\": ...}");
        }
        List<String> missing = new ArrayList<String>();
        for (Map.Entry<String, JsonNode> e : arts.entrySet()) {
            ModelFormat f;
            try {
                f = ModelFormat.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw error("artifacts." + e.getKey(), ex.getMessage());
            }
            Artifact a = artifact(e.getValue(), "artifacts." + e.getKey());
            if (a == null) {
                missing.add(e.getKey());
            } else {
                b.addArtifact(f, a);
            }
        }
        if (missing.size() == arts.size()) {
            throw new dev.nnsdk.ModelNotFoundException("Model '" + n.id() + "' is in the shared assets, which are not "
                    + "configured: set the environment variable " + SdkSettings.ASSETS_ENV + " or the system property "
                    + SdkSettings.ASSETS_PROPERTY + " to the assets directory");
        }
        if (!missing.isEmpty()) {
            LOG.debug("{}: artifacts {} need the shared assets ({} is not set)", where, missing, SdkSettings.ASSETS_ENV);
        }
        if (n.text() != null) {
            b.optText(textSpec(n.text()));
        } else if (backbone != null && backbone.text() != null) {
            b.optText(backbone.text());
        }
        if (n.image() != null) {
            b.optImage(imageSpec(n.image()));
        } else if (backbone != null && backbone.image() != null) {
            b.optImage(backbone.image());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw error("", e.getMessage());
        }
    }

    private String required(String value, String field) {
        if (value == null) {
            throw error(field, "is missing");
        }
        return value;
    }

    /**
     * A fine-tuned model's frozen backbone: {@code {"id": ..., "source": ID|PATH, "sha256": {"onnx": ...}}}.
     * Resolves it, checks the recorded checksums against it, and copies its artifacts and names into {@code b}.
     */
    private ModelDescriptor backbone(ModelJson.Backbone bb, ModelDescriptor.Builder b, boolean useArtifacts) {
        String id = required(bb.id(), "backbone.id");
        String source = bb.source() != null ? bb.source() : id;
        Map<String, String> sums = new java.util.TreeMap<String, String>();
        if (bb.sha256() != null) {
            for (Map.Entry<String, String> e : bb.sha256().entrySet()) {
                sums.put(e.getKey(), e.getValue().toLowerCase(java.util.Locale.ROOT));
            }
        }
        ModelDescriptor d;
        Path local = baseDir == null ? null : baseDir.resolve(source);
        if (local != null && !source.isEmpty() && Files.exists(local)) {
            d = dev.nnsdk.repository.ModelRepository.resolve(local);
        } else {
            d = dev.nnsdk.repository.ModelRepository.resolve(source);
        }
        for (Map.Entry<ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            String want = sums.get(e.getKey().id());
            String have = e.getValue().sha256();
            if (want != null && have != null && !want.equals(have)) {
                throw new ModelLoadException(where + ": backbone '" + source + "' " + e.getKey().id()
                        + " artifact has SHA-256 " + have + " but the head was trained on " + want
                        + "; retrain the head or restore the original backbone");
            }
            if (useArtifacts) {
                b.addArtifact(e.getKey(), e.getValue());
            }
        }
        b.optInputNames(d.inputNames()).optOutputNames(d.outputNames())
                .optBackbone(new dev.nnsdk.repository.BackboneRef(id, source, sums));
        return d;
    }

    /**
     * A saved recommender: {@code "recommender": {"file": "recommender.bin", "sha256": ...}} inside the model directory.
     * Its text encoder ({@code backbone}) is only recorded here: the recommender loads it on first use.
     */
    private ModelDescriptor recommender(ModelJson n, ModelDescriptor.Builder b) {
        ModelJson.Weights r = n.recommender();
        if (r == null) {
            throw error("recommender", "is missing; a recommendation model names its weights as "
                    + "{\"file\": \"recommender.bin\", \"sha256\": ...}");
        }
        String file = required(r.file(), "recommender.file");
        String sha = required(r.sha256(), "recommender.sha256");
        if (baseDir == null) {
            throw error("recommender.file", "needs a model directory");
        }
        b.optRecommender(new Artifact(inside(baseDir, file, "recommender.file", file, "the model directory"), sha));
        if (n.backbone() != null) {
            ModelJson.Backbone bb = n.backbone();
            String id = required(bb.id(), "backbone.id");
            Map<String, String> sums = bb.sha256() == null ? new java.util.TreeMap<String, String>()
                    : new java.util.TreeMap<String, String>(bb.sha256());
            b.optBackbone(new dev.nnsdk.repository.BackboneRef(id, bb.source() != null ? bb.source() : id, sums));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw error("", e.getMessage());
        }
    }

    /** {@code "head": {"type": "linear"|"mlp", "file": "head.bin", "sha256": ...}} with top-level {@code "labels"}. */
    private dev.nnsdk.repository.HeadSpec head(ModelJson.Head h, List<String> labelList) {
        String type = required(h.type(), "head.type");
        if (type.equals(dev.nnsdk.repository.HeadSpec.IN_MODEL)) {
            List<String> labels = labelList == null ? new ArrayList<String>() : labelList;
            if (labels.size() < 2) {
                throw error("labels", "must list at least 2 class names, has " + labels.size());
            }
            return new dev.nnsdk.repository.HeadSpec(type, null, labels);   // the model's output is the probabilities
        }
        if (!type.equals("linear") && !type.equals("mlp")) {
            throw error("head.type", "is '" + type + "'; expected linear, mlp or " + dev.nnsdk.repository.HeadSpec.IN_MODEL);
        }
        String file = required(h.file(), "head.file");
        String sha = h.sha256();
        Path p = baseDir == null ? Path.of(file) : baseDir.resolve(file).normalize();
        if (baseDir != null && (!p.startsWith(baseDir.normalize()) || !Containment.inside(baseDir, p))) {
            throw error("head.file", "'" + file + "' points outside the model directory"
                    + (p.startsWith(baseDir.normalize()) ? " (through a symbolic link)" : ""));
        }
        List<String> labels = labelList == null ? new ArrayList<String>() : labelList;
        if (labels.size() < 2) {
            throw error("labels", "must list at least 2 class names, has " + labels.size());
        }
        return new dev.nnsdk.repository.HeadSpec(type, new Artifact(p, sha), labels);
    }

    /**
     * A head on a frozen backbone may say how its texts are windowed ({@code "text": {"windows": N}}); every other text
     * setting is the backbone's own.
     */
    private TextSpec windowsOnly(JsonNode t, TextSpec backboneText) {
        java.util.Iterator<String> names = t.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!"windows".equals(f)) {
                throw error("text." + f, "cannot be set on a model whose text pipeline is its backbone's; only "
                        + "text.windows can");
            }
        }
        try {
            return backboneText.toBuilder().optWindows(integer(t, "windows", 0, "text.")).build();
        } catch (IllegalArgumentException e) {
            throw error("text.windows", e.getMessage());
        }
    }

    private TextSpec textSpec(JsonNode t) {
        Artifact tok = artifact(t.get("tokenizer"), "text.tokenizer");
        if (tok == null) {
            throw error("text.tokenizer", "needs the shared assets; set " + SdkSettings.ASSETS_ENV);
        }
        int maxLength = integer(t, "maxLength", 512, "text.");
        String pooling = t.has("pooling") ? t.get("pooling").asText() : "mean";
        TextSpec.Pooling p;
        try {
            p = TextSpec.Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw error("text.pooling", "is '" + pooling + "'; " + e.getMessage().replaceFirst("^pooling '.*' is ", "expected "));
        }
        boolean normalize = !t.has("normalize") || t.get("normalize").asBoolean();
        int maxBatchSize = integer(t, "maxBatchSize", 0, "text.");
        JsonNode prompts = t.path("prompts");
        try {
            return TextSpec.builder().setTokenizer(tok).optMaxLength(maxLength).optWindows(integer(t, "windows", 0, "text."))
                    .optPooling(p).optNormalize(normalize)
                    .optOutput(text(t, "output", false)).optMaxBatchSize(maxBatchSize)
                    .optPrompts(prompts.path("query").asText(""), prompts.path("document").asText(""))
                    .optPoolPrompt(t.path("includePrompt").asBoolean(true)).optLowerCase(t.path("lowerCase").asBoolean(false))
                    .optDynamicQuantized(t.path("dynamicQuantized").asBoolean(false))
                    .optLabels(t.has("labels") ? strings(t, "labels") : null)
                    .optActivation(t.has("activation") ? TextSpec.Activation.parse(t.get("activation").asText()) : null).build();
        } catch (IllegalArgumentException e) {
            throw error("text", e.getMessage());
        }
    }

    private ImageSpec imageSpec(JsonNode i) {
        try {
            ImageSpec.Builder b = ImageSpec.builder()
                    .setSize(side(i, "width"), side(i, "height"))
                    .optLayout(ImageSpec.Layout.parse(i.path("layout").asText("NCHW")))
                    .optResize(ImageSpec.Resize.parse(i.path("resize").asText("stretch")), i.path("resizeShorter").asInt(0))
                    .optInterpolation(ImageSpec.Interpolation.parse(i.path("interpolation").asText("bilinear")))
                    .optScale((float) i.path("scale").asDouble(1.0 / 255))
                    .optOffset((float) i.path("offset").asDouble(0))
                    .optChannelOrder(ImageSpec.ChannelOrder.parse(i.path("channels").asText("RGB")))
                    .optPad(ImageSpec.PadPosition.parse(i.path("padPosition").asText("right-bottom")),
                            i.has("padValue") && i.get("padValue").isNumber()
                                    ? new float[] {i.get("padValue").floatValue(), i.get("padValue").floatValue(), i.get("padValue").floatValue()}
                                    : floats(i, "padValue", new float[] {0, 0, 0}))
                    .optNormalize(floats(i, "mean", new float[] {0, 0, 0}), floats(i, "std", new float[] {1, 1, 1}))
                    .optFeaturesOutput(text(i, "features", false))
                    .optScoresOutput(text(i, "scores", false), i.path("scoresAreLogits").asBoolean(false));
            if (i.has("range")) {
                if (i.has("scale") || i.has("offset")) {
                    throw error("image.range", "and image.scale / image.offset say the same thing; keep one");
                }
                b.optRange(i.get("range").asText());
            }
            JsonNode labels = i.get("labels");
            if (labels != null && labels.isArray()) {
                b.optLabels(strings(i, "labels"));
            } else if (labels != null) {
                Artifact a = artifact(labels, "image.labels");
                if (a != null) {
                    b.optLabels(readLabels(a));
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw error("image", e.getMessage());
        }
    }

    private List<String> readLabels(Artifact a) {
        Checksums.verify(a.path(), a.sha256());
        try {
            List<String> out = new ArrayList<String>();
            for (String line : Files.readAllLines(a.path(), StandardCharsets.UTF_8)) {
                if (!line.trim().isEmpty()) {
                    out.add(line.trim());
                }
            }
            return out;
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read labels file " + a.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * An artifact, or {@code null} when it lives in the shared assets and those are not configured. Errors
     * of fetching or extracting it are prefixed with the descriptor and field.
     */
    private Artifact artifact(JsonNode a, String field) {
        try {
            Artifact art = resolveArtifact(a, field);
            String q = a.isObject() ? text(a, "quantize", false, field + ".") : null;
            if (q == null || art == null) {
                return art;
            }
            if (!q.equals("int8-static")) {
                throw error(field + ".quantize", "must be \"int8-static\" (static int8 quantisation at load), not '" + q + "'");
            }
            return new Artifact(art.path(), art.sha256(), q);
        } catch (ModelLoadException e) {
            if (e.getClass() != ModelLoadException.class || e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new ModelLoadException(where + ": field '" + field + "': " + e.getMessage(), e);
        }
    }

    private Artifact resolveArtifact(JsonNode a, String field) {
        if (a == null) {
            throw error(field, "is missing");
        }
        if (!a.isTextual() && !a.isObject()) {
            throw error(field, "must be a string or an object {\"source\": ..., \"sha256\": ...}, not "
                    + a.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        String source = a.isTextual() ? a.asText() : text(a, "source", true, field + ".");
        String sha = a.isObject() ? text(a, "sha256", false, field + ".") : null;
        if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
            throw error(field + ".sha256", "is not 64 hex digits: '" + sha + "'");
        }
        sha = sha == null ? null : sha.toLowerCase(java.util.Locale.ROOT);
        String entry = a.isObject() ? text(a, "entry", false, field + ".") : null;
        if (RemoteArtifacts.isRemote(source)) {
            if (sha == null) {
                throw error(field + ".sha256", "is required for remote artifacts (" + source + ")");
            }
            URI url = url(source, field);
            return archiveOrFile(RemoteArtifacts.fetch(url, sha, remoteFileName(url, field)), sha, entry, field, source);
        }
        if (source.startsWith("classpath:")) {
            if (sha == null) {
                throw error(field + ".sha256", "is required for class-path artifacts");
            }
            String name = source.substring("classpath:".length());
            String fileName = name.substring(name.lastIndexOf('/') + 1);
            if (!SAFE_NAME.matcher(fileName).matches()) {
                throw error(field + ".source", "'" + source + "' does not end in a plain file name");
            }
            return archiveOrFile(ArtifactCache.extract(name, sha), sha, entry, field, source);
        }
        if (source.startsWith("assets:")) {
            Path assets = SdkSettings.assetsDir();
            if (assets == null) {
                return null;
            }
            Path p = inside(assets, source.substring("assets:".length()), field, source, "the shared assets directory");
            return archiveOrFile(p, sha, entry, field, source);
        }
        String rel = source.startsWith("file:") ? source.substring("file:".length()) : source;
        Path p;
        if (baseDir == null) {
            try {
                p = Path.of(rel);
            } catch (InvalidPathException e) {
                throw error(field + ".source", "'" + source + "' is not a valid path: " + e.getReason());
            }
        } else {
            p = inside(baseDir, rel, field, source, "the model directory");
        }
        return archiveOrFile(p, sha, entry, field, source);
    }

    /** {@code base/rel}, refused when it is not a valid path or points outside {@code base}. */
    private Path inside(Path base, String rel, String field, String source, String what) {
        Path p;
        try {
            p = base.resolve(rel).normalize();
        } catch (InvalidPathException e) {
            throw error(field + ".source", "'" + source + "' is not a valid path: " + e.getReason());
        }
        if (rel.isEmpty() || !p.startsWith(base.normalize())) {
            throw error(field + ".source", "'" + source + "' points outside " + what);
        }
        if (!Containment.inside(base, p)) {
            throw error(field + ".source", "'" + source + "' points outside " + what + " through a symbolic link");
        }
        return p;
    }

    /**
     * A plain file artifact, or, for an archive ({@code .zip}, {@code .tar.gz}), the extracted directory
     * or the file {@code entry} in it, with the checksum recorded when the verified archive was extracted.
     */
    private Artifact archiveOrFile(Path file, String sha, String entry, String field, String source) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!ArchiveExtractor.isArchive(name)) {
            if (entry != null) {
                throw error(field + ".entry", "is only allowed for archives (.zip, .tar.gz, .tgz); " + source + " is not one");
            }
            return new Artifact(file, sha);
        }
        if (sha == null) {
            throw error(field + ".sha256", "is required for archives (" + source + ")");
        }
        Checksums.verify(file, sha);
        Path dir = ArtifactCache.root().resolve(sha).resolve(ArchiveExtractor.baseName(name));
        Map<String, String> sums = ArchiveExtractor.extract(file, dir, source);
        if (entry == null) {
            return new Artifact(dir, null);
        }
        String key = entry.startsWith("./") ? entry.substring(2) : entry;
        String entrySha = sums.get(key);
        if (entrySha == null) {
            throw error(field + ".entry", "'" + entry + "' is not a file in archive " + source + " (it has "
                    + new ArrayList<String>(sums.keySet()).subList(0, Math.min(10, sums.size())) + ")");
        }
        return new Artifact(ArchiveExtractor.place(dir, key, source), entrySha);
    }

    private URI url(String source, String field) {
        URI u;
        try {
            u = new URI(source);
        } catch (URISyntaxException e) {
            throw error(field + ".source", "'" + source + "' is not a valid URL: " + e.getMessage());
        }
        if (u.getHost() == null || u.getRawPath() == null) {
            throw error(field + ".source", "'" + source + "' is not a valid URL (no host or path)");
        }
        return u;
    }

    private String remoteFileName(URI url, String field) {
        String path = url.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (!SAFE_NAME.matcher(name).matches()) {
            throw error(field + ".source", "URL '" + url + "' must end in a plain file name (letters, digits, . _ -)");
        }
        return name;
    }

    private String text(JsonNode n, String field, boolean required) {
        return text(n, field, required, "");
    }

    private String text(JsonNode n, String field, boolean required, String prefix) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(prefix + field, "is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw error(prefix + field, "must be a string, not " + v.getNodeType().toString().toLowerCase());
        }
        return v.asText();
    }

    /** An image side: 1 to {@link dev.nnsdk.Ranges#MAX_IMAGE_SIDE} pixels (100000 x 100000 overflowed an int). */
    private int side(JsonNode i, String field) {
        int v = integer(i, field, -1, "image.");
        if (v < 1 || v > dev.nnsdk.Ranges.MAX_IMAGE_SIDE) {
            throw error("image." + field, "must be in 1.." + dev.nnsdk.Ranges.MAX_IMAGE_SIDE + ", got " + v);
        }
        return v;
    }

    private int integer(JsonNode n, String field, int dflt, String prefix) {
        JsonNode v = n.get(field);
        if (v == null) {
            if (dflt < 0) {
                throw error(prefix + field, "is missing");
            }
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw error(prefix + field, "must be an integer, not '" + v + "'");
        }
        return v.asInt();
    }

    private List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<String>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw error(field, "must be an array of strings");
        }
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw error(field, "must be an array of strings, has " + s);
            }
            out.add(s.asText());
        }
        return out;
    }

    private float[] floats(JsonNode n, String field, float[] dflt) {
        JsonNode v = n.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isArray()) {
            throw error("image." + field, "must be an array of numbers");
        }
        float[] out = new float[v.size()];
        for (int k = 0; k < out.length; k++) {
            if (!v.get(k).isNumber()) {
                throw error("image." + field, "must be an array of numbers, has " + v.get(k));
            }
            out[k] = (float) v.get(k).asDouble();
        }
        return out;
    }

    private ModelLoadException error(String field, String problem) {
        return new ModelLoadException(where + (field.isEmpty() ? "" : ": field '" + field + "'") + " " + problem);
    }
}
