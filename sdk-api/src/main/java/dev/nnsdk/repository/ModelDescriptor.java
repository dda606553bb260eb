package dev.nnsdk.repository;

import dev.nnsdk.engine.ModelFormat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the SDK knows about one model: its id and task, one artifact per file format (so the
 * same id runs on every engine that reads one of them), the input and output names, and the
 * pre/post-processing ({@link TextSpec} for text models, {@link ImageSpec} for image models).
 *
 * <p>Descriptors come from the model zoo (by id) or from a {@code model.json} in a directory the
 * user names; see {@link ModelRepository}.
 */
public final class ModelDescriptor {

    /** Task names used in descriptors. */
    public static final String TEXT_EMBEDDING = "text-embedding";
    public static final String IMAGE_CLASSIFICATION = "image-classification";
    public static final String TEXT_CLASSIFICATION = "text-classification";
    /** Per-token labels and entity spans (NER), from a {@code *ForTokenClassification} export. */
    public static final String TOKEN_CLASSIFICATION = "token-classification";
    /** A cross-encoder scoring (query, passage) pairs. */
    public static final String TEXT_RANKING = "text-ranking";
    public static final String RECOMMENDATION = "recommendation";

    private final String id;
    private final String task;
    private final String description;
    private final Map<ModelFormat, Artifact> artifacts;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final TextSpec text;
    private final ImageSpec image;
    private final HeadSpec head;
    private final BackboneRef backbone;
    private final Artifact recommender;

    private ModelDescriptor(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.task = Objects.requireNonNull(b.task, "task");
        this.description = b.description == null ? "" : b.description;
        if (b.artifacts.isEmpty() && b.recommender == null) {
            throw new IllegalArgumentException("Model '" + b.id + "' has no artifact");
        }
        this.artifacts = Collections.unmodifiableMap(new EnumMap<ModelFormat, Artifact>(b.artifacts));
        this.inputNames = Collections.unmodifiableList(new ArrayList<String>(b.inputNames));
        this.outputNames = Collections.unmodifiableList(new ArrayList<String>(b.outputNames));
        this.text = b.text;
        this.image = b.image;
        this.head = b.head;
        this.backbone = b.backbone;
        this.recommender = b.recommender;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String id() {
        return id;
    }

    /** e.g. {@link #TEXT_EMBEDDING} or {@link #IMAGE_CLASSIFICATION}. */
    public String task() {
        return task;
    }

    public String description() {
        return description;
    }

    /** Model files by format; an engine runs the model if it reads one of these formats. */
    public Map<ModelFormat, Artifact> artifacts() {
        return artifacts;
    }

    /** Input names in positional order (needed for TorchScript; ONNX files declare their own). */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Output names in positional order (needed for TorchScript; ONNX files declare their own). */
    public List<String> outputNames() {
        return outputNames;
    }

    /** Text pre/post-processing, or {@code null} for a non-text model. */
    public TextSpec text() {
        return text;
    }

    /**
     * This descriptor with another text pipeline, everything else kept, e.g.
     * {@code d.withText(d.text().toBuilder().optWindows(8).build())}.
     */
    public ModelDescriptor withText(TextSpec text) {
        Builder b = builder().setId(id).setTask(task).optDescription(description).optInputNames(inputNames)
                .optOutputNames(outputNames).optText(text).optImage(image).optHead(head).optBackbone(backbone)
                .optRecommender(recommender);
        for (Map.Entry<ModelFormat, Artifact> e : artifacts.entrySet()) {
            b.addArtifact(e.getKey(), e.getValue());
        }
        return b.build();
    }

    /** Image pre/post-processing, or {@code null} for a non-image model. */
    public ImageSpec image() {
        return image;
    }

    /**
     * The weights file of a saved recommender ({@code recommender.bin}, format in
     * {@link dev.nnsdk.format.RecommenderWeights}) with its SHA-256, or {@code null} for other models.
     */
    public Artifact recommender() {
        return recommender;
    }

    /** The fine-tuned classification head, or {@code null} for a model without one. */
    public HeadSpec head() {
        return head;
    }

    /** For a fine-tuned model: the frozen backbone it was trained on, else {@code null}. */
    public BackboneRef backbone() {
        return backbone;
    }

    @Override
    public String toString() {
        return "ModelDescriptor{" + id + ", " + task + ", " + artifacts.keySet() + '}';
    }

    /** Builds a {@link ModelDescriptor}: id, task and at least one artifact are required. */
    public static final class Builder {
        private String id;
        private String task;
        private String description;
        private final Map<ModelFormat, Artifact> artifacts = new EnumMap<ModelFormat, Artifact>(ModelFormat.class);
        private List<String> inputNames = Collections.emptyList();
        private List<String> outputNames = Collections.emptyList();
        private TextSpec text;
        private ImageSpec image;
        private HeadSpec head;
        private BackboneRef backbone;
        private Artifact recommender;

        public Builder setId(String id) {
            this.id = id;
            return this;
        }

        public Builder setTask(String task) {
            this.task = task;
            return this;
        }

        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        public Builder addArtifact(ModelFormat format, Artifact artifact) {
            artifacts.put(format, artifact);
            return this;
        }

        public Builder optInputNames(List<String> names) {
            this.inputNames = names == null ? Collections.<String>emptyList() : names;
            return this;
        }

        public Builder optOutputNames(List<String> names) {
            this.outputNames = names == null ? Collections.<String>emptyList() : names;
            return this;
        }

        public Builder optText(TextSpec text) {
            this.text = text;
            return this;
        }

        public Builder optImage(ImageSpec image) {
            this.image = image;
            return this;
        }

        public Builder optHead(HeadSpec head) {
            this.head = head;
            return this;
        }

        public Builder optBackbone(BackboneRef backbone) {
            this.backbone = backbone;
            return this;
        }

        /** The weights of a saved recommender (such a descriptor needs no engine artifact). */
        public Builder optRecommender(Artifact recommender) {
            this.recommender = recommender;
            return this;
        }

        public ModelDescriptor build() {
            return new ModelDescriptor(this);
        }
    }
}
