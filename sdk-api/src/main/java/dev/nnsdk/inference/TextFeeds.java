package dev.nnsdk.inference;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.TensorInfo;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.text.Encoding;

import java.nio.Buffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The inputs of a BERT-style text model, recognised by name ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}), and the feed tensors of one batch of encodings, right-padded to the batch's longest.
 * Shared by every text task that runs a transformer (embedder, classifier heads, token classifier, cross-encoder).
 * Immutable.
 */
final class TextFeeds {

    private enum Kind { IDS, MASK, TYPES, WINDOW_TEXT }

    private final List<String> names;
    private final List<Kind> kinds;

    private TextFeeds(List<String> names, List<Kind> kinds) {
        this.names = Collections.unmodifiableList(names);
        this.kinds = Collections.unmodifiableList(kinds);
    }

    /**
     * Recognises every input of {@code model}; an input that is none of the three is a load error naming it.
     *
     * @param what what the model is for, in the message ("a text encoder", "a text model")
     */
    static TextFeeds of(ModelDescriptor d, EngineModel model, String what) {
        List<String> names = new ArrayList<String>();
        List<Kind> kinds = new ArrayList<Kind>();
        for (TensorInfo in : model.inputs()) {
            String n = in.name().toLowerCase(Locale.ROOT);
            Kind kind = in.name().equals(dev.nnsdk.repository.TextSpec.WINDOW_TEXT_INPUT) ? Kind.WINDOW_TEXT
                    : n.contains("mask") ? Kind.MASK : n.contains("type") ? Kind.TYPES
                    : n.contains("ids") || n.equals("input") ? Kind.IDS : null;
            if (kind == null) {
                throw new ModelLoadException("Model '" + d.id() + "' has input '" + in.name()
                        + "', which is not one " + what + " takes (input_ids, attention_mask, token_type_ids)");
            }
            names.add(in.name());
            kinds.add(kind);
        }
        return new TextFeeds(names, kinds);
    }

    /**
     * The index of the output named {@code output} (0 when it is null, or when the engine names no outputs, as for
     * TorchScript: then the first output is the descriptor's); a name that a model listing its outputs does not have
     * is a load error listing them, never a silent fallback to another output.
     */
    static int outputIndex(ModelDescriptor d, EngineModel model, String output) {
        List<TensorInfo> outs = model.outputs();
        if (output == null || outs.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < outs.size(); i++) {
            if (outs.get(i).name().equals(output)) {
                return i;
            }
        }
        throw new ModelLoadException("Model '" + d.id() + "' has no output '" + output + "' (outputs: " + outs + ")");
    }

    /** Whether the model takes {@code token_type_ids}. */
    boolean hasTypes() {
        return kinds.contains(Kind.TYPES);
    }

    /**
     * Whether the model averages windows itself ({@link dev.nnsdk.repository.TextSpec#WINDOW_TEXT_INPUT}): its rows are
     * windows and its outputs have one row per text.
     */
    boolean hasWindowText() {
        return kinds.contains(Kind.WINDOW_TEXT);
    }

    /** The feeds of {@code rows} of {@code enc}, each padded with zeros to {@code seq} positions; each row its own text. */
    List<Tensor> tensors(List<Encoding> enc, int[] rows, int seq) {
        return tensors(enc, rows, seq, null);
    }

    /**
     * As {@link #tensors(List, int[], int)}; {@code windowText[i]} is the text row {@code i} belongs to (0-based,
     * non-decreasing), for a model that {@link #hasWindowText averages windows}; {@code null}: each row its own text.
     */
    List<Tensor> tensors(List<Encoding> enc, int[] rows, int seq, long[] windowText) {
        int b = rows.length;
        List<Tensor> inputs = new ArrayList<Tensor>(names.size());
        for (int k = 0; k < names.size(); k++) {
            if (kinds.get(k) == Kind.WINDOW_TEXT) {
                long[] w = windowText;
                if (w == null) {
                    w = new long[b];
                    for (int i = 0; i < b; i++) {
                        w[i] = i;
                    }
                }
                inputs.add(Tensor.ofLongs(names.get(k), w, b));
                continue;
            }
            LongBuffer buf = Tensor.allocateLongs(b * seq);
            for (int i = 0; i < b; i++) {
                Encoding e = enc.get(rows[i]);
                int base = i * seq;
                switch (kinds.get(k)) {
                    case IDS:
                        ((Buffer) buf).position(base);
                        buf.put(e.ids());
                        break;
                    case MASK:
                        for (int t = 0; t < e.length(); t++) {
                            buf.put(base + t, 1L);
                        }
                        break;
                    default:
                        if (e.typeIds() != null) {
                            ((Buffer) buf).position(base);
                            buf.put(e.typeIds());
                        }
                }
            }
            ((Buffer) buf).clear();
            inputs.add(Tensor.ofLongs(names.get(k), buf, b, seq));
        }
        return inputs;
    }
}
