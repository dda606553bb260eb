package dev.nnsdk.onnx.graph.ir;

import com.google.protobuf.ByteString;
import dev.nnsdk.onnx.graph.proto.OnnxProto.AttributeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.GraphProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.OperatorSetIdProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mutable view of an ONNX model for graph rewrites: nodes in order, initializers by name, and who produces and
 * who consumes each value. Rewrites add and remove nodes, then call {@link #removeDeadNodes()}; {@link #toModel()}
 * writes the result back (topologically sorted).
 */
public final class OnnxGraph {
    /** ONNX Runtime's contrib-op domain. */
    public static final String MS_DOMAIN = "com.microsoft";

    private final ModelProto original;
    private final List<NodeProto> nodes = new ArrayList<NodeProto>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<String, TensorProto>();
    private final Set<String> graphInputs = new HashSet<String>();
    private final Set<String> graphOutputs = new HashSet<String>();
    private final Map<String, Long> opsets = new LinkedHashMap<String, Long>();
    private Map<String, NodeProto> producers;
    private Map<String, List<NodeProto>> consumers;
    private int counter;

    private OnnxGraph(ModelProto model) {
        this.original = model;
        GraphProto g = model.getGraph();
        nodes.addAll(g.getNodeList());
        for (TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                graphInputs.add(v.getName());
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            graphOutputs.add(v.getName());
        }
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            opsets.put(o.getDomain(), o.getVersion());
        }
    }

    public static OnnxGraph of(ModelProto model) {
        return new OnnxGraph(model);
    }

    public static OnnxGraph read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new OnnxGraph(ModelProto.parseFrom(in));
        }
    }

    // ---------------------------------------------------------------- queries

    public List<NodeProto> nodes() {
        return Collections.unmodifiableList(new ArrayList<NodeProto>(nodes));
    }

    public boolean isGraphInput(String name) {
        return graphInputs.contains(name);
    }

    public boolean isGraphOutput(String name) {
        return graphOutputs.contains(name);
    }

    public List<ValueInfoProto> inputs() {
        List<ValueInfoProto> out = new ArrayList<ValueInfoProto>();
        for (ValueInfoProto v : original.getGraph().getInputList()) {
            if (graphInputs.contains(v.getName())) {
                out.add(v);
            }
        }
        return out;
    }

    public long opset(String domain) {
        Long v = opsets.get(domain);
        return v == null ? -1 : v;
    }

    public void requireOpset(String domain, long version) {
        Long v = opsets.get(domain);
        if (v == null || v < version) {
            opsets.put(domain, version);
        }
    }

    public NodeProto producer(String value) {
        index();
        return producers.get(value);
    }

    /** The single node that produces {@code value} if it has the given op type, else null. */
    public NodeProto producer(String value, String opType) {
        NodeProto p = producer(value);
        return p != null && p.getOpType().equals(opType) ? p : null;
    }

    public List<NodeProto> consumers(String value) {
        index();
        List<NodeProto> c = consumers.get(value);
        return c == null ? Collections.<NodeProto>emptyList() : c;
    }

    /** The only consumer of {@code value} when it has exactly one and the value is no graph output, else null. */
    public NodeProto soleConsumer(String value, String opType) {
        List<NodeProto> c = consumers(value);
        if (c.size() != 1 || graphOutputs.contains(value)) {
            return null;
        }
        return c.get(0).getOpType().equals(opType) ? c.get(0) : null;
    }

    public TensorProto initializer(String name) {
        return initializers.get(name);
    }

    /** A constant's value: an initializer or the output of a {@code Constant} node, else null. */
    public TensorProto constant(String value) {
        TensorProto t = initializers.get(value);
        if (t != null) {
            return t;
        }
        NodeProto p = producer(value, "Constant");
        if (p != null) {
            for (AttributeProto a : p.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    return a.getT();
                }
            }
        }
        return null;
    }

    /** A constant scalar (or one-element tensor) as a double, else NaN. */
    public double scalar(String value) {
        TensorProto t = constant(value);
        if (t == null) {
            return Double.NaN;
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        if (n != 1) {
            return Double.NaN;
        }
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE: return floats(t)[0];
            case TensorProto.DataType.INT64_VALUE: return longs(t)[0];
            case TensorProto.DataType.DOUBLE_VALUE:
                return t.getRawData().isEmpty() ? t.getDoubleData(0)
                        : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble();
            default: return Double.NaN;
        }
    }

    /** The other input of a two-input node, given one of them; null when {@code one} is not an input. */
    public static String other(NodeProto n, String one) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (n.getInput(0).equals(one)) {
            return n.getInput(1);
        }
        return n.getInput(1).equals(one) ? n.getInput(0) : null;
    }

    public static long attrInt(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    public static List<Long> attrInts(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- tensors

    public static float[] floats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("Tensor " + t.getName() + " is not float32");
        }
        if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("Tensor " + t.getName() + " has external data (not supported)");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    public static long[] longs(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[b.remaining() / 8];
            b.asLongBuffer().get(out);
            return out;
        }
        long[] out = new long[t.getInt64DataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getInt64Data(i);
        }
        return out;
    }

    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(b.array())).build();
    }

    public static TensorProto int8Tensor(String name, byte[] data, long... dims) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT8_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(data)).build();
    }

    public static TensorProto longTensor(String name, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static List<Long> boxed(long[] dims) {
        List<Long> out = new ArrayList<Long>(dims.length);
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    // ---------------------------------------------------------------- edits

    /** A value or node name not yet used in this graph, starting with {@code base}. */
    public String fresh(String base) {
        return base + "_nnsdk" + (counter++);
    }

    public void addInitializer(TensorProto t) {
        initializers.put(t.getName(), t);
    }

    public void replaceInitializer(TensorProto t) {
        initializers.put(t.getName(), t);
    }

    /** Adds a node just before the first node that consumes any of its outputs (order is re-sorted on write). */
    public void add(NodeProto n) {
        nodes.add(n);
        producers = null;
    }

    public void remove(NodeProto n) {
        nodes.remove(n);
        producers = null;
    }

    public void replace(NodeProto old, NodeProto with) {
        int i = nodes.indexOf(old);
        nodes.set(i, with);
        producers = null;
    }

    public static NodeProto.Builder node(String opType, String name, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs).addAllOutput(outputs);
    }

    public static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    public static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    /** Removes nodes none of whose outputs is used, repeatedly, then initializers nobody reads. */
    public int removeDeadNodes() {
        int removed = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            index();
            List<NodeProto> keep = new ArrayList<NodeProto>();
            for (NodeProto n : nodes) {
                boolean used = false;
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty() && (graphOutputs.contains(o) || !consumers(o).isEmpty())) {
                        used = true;
                        break;
                    }
                }
                if (used) {
                    keep.add(n);
                } else {
                    removed++;
                    changed = true;
                }
            }
            nodes.clear();
            nodes.addAll(keep);
            producers = null;
        }
        index();
        Set<String> read = new HashSet<String>(consumers.keySet());
        initializers.keySet().retainAll(read);
        return removed;
    }

    private void index() {
        if (producers != null) {
            return;
        }
        producers = new HashMap<String, NodeProto>();
        consumers = new HashMap<String, List<NodeProto>>();
        for (NodeProto n : nodes) {
            for (String o : n.getOutputList()) {
                producers.put(o, n);
            }
            for (String i : n.getInputList()) {
                List<NodeProto> c = consumers.get(i);
                if (c == null) {
                    c = new ArrayList<NodeProto>();
                    consumers.put(i, c);
                }
                c.add(n);
            }
        }
    }

    /** Counts of op types, e.g. {@code {MatMul=48, Attention=6}}. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> out = new java.util.TreeMap<String, Integer>();
        for (NodeProto n : nodes) {
            Integer c = out.get(n.getOpType());
            out.put(n.getOpType(), c == null ? 1 : c + 1);
        }
        return out;
    }

    // ---------------------------------------------------------------- output

    /** The model with this graph's nodes (topologically sorted), initializers and opset imports. */
    public ModelProto toModel() {
        GraphProto.Builder g = original.getGraph().toBuilder().clearNode().clearInitializer().clearValueInfo();
        g.addAllNode(sorted());
        g.addAllInitializer(initializers.values());
        ModelProto.Builder m = original.toBuilder().setGraph(g).clearOpsetImport();
        if (m.getIrVersion() < 7) {
            m.setIrVersion(7);
        }
        for (Map.Entry<String, Long> e : opsets.entrySet()) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        return m.build();
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            toModel().writeTo(out);
        }
    }

    private List<NodeProto> sorted() {
        Set<String> ready = new HashSet<String>(graphInputs);
        ready.addAll(initializers.keySet());
        ready.add("");
        List<NodeProto> pending = new ArrayList<NodeProto>(nodes);
        List<NodeProto> out = new ArrayList<NodeProto>(nodes.size());
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (java.util.Iterator<NodeProto> it = pending.iterator(); it.hasNext(); ) {
                NodeProto n = it.next();
                if (ready.containsAll(n.getInputList())) {
                    out.add(n);
                    ready.addAll(n.getOutputList());
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("Graph has a cycle or a missing input at node " + pending.get(0).getName()
                        + " " + pending.get(0).getInputList());
            }
        }
        return out;
    }
}
