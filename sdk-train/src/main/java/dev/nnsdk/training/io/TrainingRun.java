package dev.nnsdk.training.io;

import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.metrics.ClassificationMetrics;

import java.util.List;
import java.util.Map;

/** What a finished run knows about itself (for saving). Not public API. */
public final class TrainingRun {
    public final Head head;
    public final List<String> labels;
    public final BackboneRef backbone;
    public final ModelDescriptor backboneDescriptor;
    public final List<EpochResult> history;
    public final int bestEpoch;
    public final boolean stoppedEarly;
    public final ClassificationMetrics validationMetrics;
    /** training.json content: config, head, datasets, provenance. */
    public final Map<String, Object> info;
    /** The fine-tuned backbone module (TorchScript) when the backbone was trained, else {@code null}. */
    public final java.nio.file.Path trainedBackbone;
    /** The max length the trained backbone was trained at (0 when the backbone is frozen). */
    public final int maxLength;

    public TrainingRun(Head head, List<String> labels, BackboneRef backbone, ModelDescriptor backboneDescriptor,
                List<EpochResult> history, int bestEpoch, boolean stoppedEarly, ClassificationMetrics validationMetrics,
                Map<String, Object> info) {
        this(head, labels, backbone, backboneDescriptor, history, bestEpoch, stoppedEarly, validationMetrics, info, null, 0);
    }

    /** A run whose backbone was trained too: {@code trainedBackbone} is its module, trained at {@code maxLength}. */
    public TrainingRun(Head head, List<String> labels, BackboneRef backbone, ModelDescriptor backboneDescriptor,
                List<EpochResult> history, int bestEpoch, boolean stoppedEarly, ClassificationMetrics validationMetrics,
                Map<String, Object> info, java.nio.file.Path trainedBackbone, int maxLength) {
        this.trainedBackbone = trainedBackbone;
        this.maxLength = maxLength;
        this.head = head;
        this.labels = labels;
        this.backbone = backbone;
        this.backboneDescriptor = backboneDescriptor;
        this.history = history;
        this.bestEpoch = bestEpoch;
        this.stoppedEarly = stoppedEarly;
        this.validationMetrics = validationMetrics;
        this.info = info;
    }
}
