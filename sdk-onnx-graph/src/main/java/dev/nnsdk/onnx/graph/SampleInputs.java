package dev.nnsdk.onnx.graph;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Inputs drawn for a BERT-style graph from its own structure: an int64 input that indexes an embedding table gets
 * ids within the table (token ids, token types), one that feeds the attention mask chain gets 1s with right padding.
 * A windowed classifier export's {@code window_text} gets two rows per text. Any other input makes the draw fail with
 * its name, since guessing its values could hide a wrong rewrite.
 */
public final class SampleInputs {
    private SampleInputs() {
    }

    /** The 1-D input of a windowed text classifier export (the text each row belongs to). */
    static final String WINDOW_TEXT = dev.nnsdk.repository.TextSpec.WINDOW_TEXT_INPUT;

    /**
     * One feed: input name to {@code long[batch][seq]}; a windowed export's 1-D {@value #WINDOW_TEXT} input is
     * {@code long[1][batch]} (two rows per text), which {@link GraphVerifier#run} feeds as a 1-D tensor.
     */
    public static List<Map<String, long[][]>> draw(OnnxGraph g, long seed, int[][] shapes) {
        Map<String, Long> ranges = new LinkedHashMap<String, Long>();
        List<String> masks = new ArrayList<String>();
        List<String> windowTexts = new ArrayList<String>();
        for (ValueInfoProto in : g.inputs()) {
            String name = in.getName();
            if (name.equals(WINDOW_TEXT) && in.getType().getTensorType().getElemType() == TensorProto.DataType.INT64_VALUE
                    && in.getType().getTensorType().getShape().getDimCount() == 1) {
                windowTexts.add(name);
                continue;
            }
            if (in.getType().getTensorType().getElemType() != TensorProto.DataType.INT64_VALUE
                    || in.getType().getTensorType().getShape().getDimCount() != 2) {
                throw new IllegalArgumentException("Cannot draw sample values for input '" + name
                        + "': only 2-D int64 inputs of text encoders are understood");
            }
            long range = -1;
            boolean mask = false;
            for (NodeProto c : g.consumers(name)) {
                if (c.getOpType().equals("Gather") && c.getInputCount() == 2 && c.getInput(1).equals(name)) {
                    TensorProto table = g.initializer(c.getInput(0));
                    if (table != null && table.getDimsCount() == 2) {
                        range = table.getDims(0);
                    }
                } else if (c.getOpType().equals("Unsqueeze") || c.getOpType().equals("Cast")
                        || c.getOpType().equals("ReduceSum")) {
                    mask = true;
                }
            }
            if (range > 0) {
                ranges.put(name, range);
            } else if (mask) {
                masks.add(name);
            } else {
                throw new IllegalArgumentException("Cannot tell what input '" + name + "' holds (neither an embedding"
                        + " index nor an attention mask), so no sample values can be drawn for it");
            }
        }
        Random r = new Random(seed);
        List<Map<String, long[][]>> out = new ArrayList<Map<String, long[][]>>();
        for (int[] shape : shapes) {
            int batch = shape[0];
            int seq = shape[1];
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = b == 0 ? seq : Math.max(2, seq - 1 - r.nextInt(Math.max(1, seq - 2)));
            }
            Map<String, long[][]> feed = new LinkedHashMap<String, long[][]>();
            for (Map.Entry<String, Long> e : ranges.entrySet()) {
                long[][] v = new long[batch][seq];
                long range = e.getValue();
                for (int b = 0; b < batch; b++) {
                    for (int s = 0; s < lengths[b]; s++) {
                        // Ids above 1000 are ordinary word pieces in BERT vocabularies; small tables draw from all.
                        long lo = range > 2000 ? 1000 : 0;
                        v[b][s] = lo + (long) (r.nextDouble() * (range - lo));
                    }
                }
                feed.put(e.getKey(), v);
            }
            for (String m : masks) {
                long[][] v = new long[batch][seq];
                for (int b = 0; b < batch; b++) {
                    for (int s = 0; s < lengths[b]; s++) {
                        v[b][s] = 1;
                    }
                }
                feed.put(m, v);
            }
            for (String w : windowTexts) {
                long[][] v = new long[1][batch];     // 1-D: rows 0,1 -> text 0, rows 2,3 -> text 1 ...
                for (int b = 0; b < batch; b++) {
                    v[0][b] = b / 2;
                }
                feed.put(w, v);
            }
            out.add(feed);
        }
        return out;
    }
}
