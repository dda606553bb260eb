package dev.nnsdk.training.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.onnx.graph.proto.OnnxProto.AttributeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.GraphProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.OperatorSetIdProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.StringStringEntryProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorShapeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TypeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a saved classifier as ONE ONNX model. Text: the backbone's ONNX graph, then mean pooling
 * over the attention mask, L2 normalisation (as the descriptor says), the dense head and softmax;
 * inputs are the backbone's (token ids, attention mask, token type ids, from the backbone's
 * tokenizer). Image: the backbone's ONNX graph up to its {@code features} output, flattened, the
 * dense head and softmax; the input is the backbone's preprocessed image tensor. Outputs are
 * {@code probs} [batch, classes] and {@code features} [batch, hidden]. Metadata properties carry
 * the labels (JSON array), the backbone id and the preprocessing (tokenizer SHA-256, or the image
 * preprocessing as a JSON object).
 *
 * <p>A text model that averages the windows of long texts ({@code text.windows} >= 2) exports to one file too: its
 * rows are windows, an extra int64 input {@value #WINDOW_TEXT} [rows] names the text (0-based) each row belongs to, and
 * the graph averages each text's pooled window features (normalised again) before the head, so {@code probs} and
 * {@code features} have one row per text. The SDK feeds it (every window of a text in one call); other callers cut the
 * windows as {@link TextSpec#windows()} says.
 *
 * <p>Beside {@code NAME.onnx} it writes what the SDK needs to load the file as a model: {@code NAME.model.json} (a
 * descriptor: inputs, outputs, labels, image preprocessing or text settings) and, for text, {@code NAME.tokenizer.json}
 * (the backbone's tokenizer). {@code TextClassifier.load(Path.of("NAME.onnx"))} / {@code ImageClassifier.load(...)},
 * {@code predict} and {@code classify-image} then run it on ONNX Runtime alone. Each file is written atomically, the
 * descriptor last; an existing output is refused unless {@code overwrite} is set.
 *
 * <pre>{@code
 * OnnxExporter.export(Path.of("out/sentiment"), Path.of("out/sentiment.onnx"), false);
 * try (TextClassifier clf = TextClassifier.load(Path.of("out/sentiment.onnx"))) { ... }
 * }</pre>
 */
public final class OnnxExporter {
    public static final String PROBS = "probs";
    public static final String FEATURES = "features";
    /**
     * The extra input of a windowed text export ({@code text.windows} >= 2): int64 [rows], the 0-based index of the
     * text each row (one window of {@code maxLength} word pieces) belongs to; the outputs have one row per text.
     */
    public static final String WINDOW_TEXT = dev.nnsdk.repository.TextSpec.WINDOW_TEXT_INPUT;
    private static final String P = "nnsdk_head/";

    private OnnxExporter() {
    }

    /** Suffix of the descriptor written beside {@code NAME.onnx}. */
    public static final String DESCRIPTOR_SUFFIX = ".model.json";
    /** Suffix of the tokenizer written beside {@code NAME.onnx} (text models). */
    public static final String TOKENIZER_SUFFIX = ".tokenizer.json";

    /** {@link #export(Path, Path, boolean)} refusing an existing output. */
    public static void export(Path modelDir, Path output) throws IOException {
        export(modelDir, output, false);
    }

    /**
     * Writes {@code output} and its descriptor (and tokenizer) from the model directory {@code modelDir}.
     *
     * @throws InvalidInputException if {@code output} or one of its companion files exists and {@code overwrite} is false
     */
    public static void export(Path modelDir, Path output, boolean overwrite) throws IOException {
        Path target = output.toAbsolutePath();
        Path descriptorFile = companion(target, DESCRIPTOR_SUFFIX);
        Path tokenizerFile = companion(target, TOKENIZER_SUFFIX);
        if (!overwrite) {
            for (Path p : new Path[] {target, descriptorFile, tokenizerFile}) {
                if (Files.exists(p)) {
                    throw new InvalidInputException(p + " already exists; choose another output or allow overwriting it"
                            + " (export(..., true); on the command line --overwrite)");
                }
            }
        }
        if (Files.isDirectory(target)) {
            throw new InvalidInputException(target + " is a directory; give the ONNX file to write, e.g. " + target.resolve("model.onnx"));
        }
        ModelDescriptor d = ModelRepository.resolve(modelDir);
        if (d.head() == null) {
            throw new InvalidInputException(modelDir + " is not a fine-tuned classifier (its model.json has no head)");
        }
        Artifact onnx = d.artifacts().get(ModelFormat.ONNX);
        boolean trainedBackbone = TrainedBackboneOnnx.isTrainedBackbone(d);
        if (onnx == null && !trainedBackbone) {
            throw new InvalidInputException("The backbone of " + modelDir + " has no ONNX artifact (it has "
                    + d.artifacts().keySet() + "), so there is nothing to merge the head into");
        }
        if (d.text() != null && d.text().pooling() != TextSpec.Pooling.MEAN) {
            throw new InvalidInputException("Export supports text backbones with mean pooling; " + modelDir + " has "
                    + d.text().pooling());
        }
        if (d.text() == null && (d.image() == null || d.image().featuresOutput() == null)) {
            throw new InvalidInputException("Export needs a text backbone or an image backbone with a features output; "
                    + modelDir + " has neither");
        }
        HeadWeights head = HeadWeights.read(d.head());
        ModelProto backbone;
        if (trainedBackbone) {
            backbone = TrainedBackboneOnnx.graph(d, modelDir);    // the original graph with the trained weights, mapped exactly
        } else {
            Checksums.verify(onnx.path(), onnx.sha256());
            try (InputStream in = new BufferedInputStream(Files.newInputStream(onnx.path()), 1 << 20)) {
                backbone = ModelProto.parseFrom(in);
            }
        }
        ModelProto merged = merge(backbone, d, head);
        Files.createDirectories(target.getParent());
        if (d.text() != null) {
            Path tok = d.text().tokenizer().path();
            Checksums.verify(tok, d.text().tokenizer().sha256());
            writeAtomically(tokenizerFile, out -> Files.copy(tok, out));
        }
        writeAtomically(target, merged::writeTo);
        byte[] descriptor = new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(descriptor(d, target, tokenizerFile));
        writeAtomically(descriptorFile, out -> out.write(descriptor));   // last: the model is loadable once it exists
    }

    /** {@code NAME.onnx} -> {@code NAME<suffix>} in the same directory. */
    public static Path companion(Path onnxFile, String suffix) {
        String name = onnxFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return onnxFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    /** The descriptor of an exported file (the model.json schema; paths relative to its directory). */
    static com.fasterxml.jackson.databind.node.ObjectNode descriptor(ModelDescriptor d, Path onnx, Path tokenizer)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = json.createObjectNode();
        root.put("formatVersion", dev.nnsdk.zoo.descriptor.ModelJson.FORMAT_VERSION);
        root.put("id", d.id());
        root.put("task", d.text() != null ? ModelDescriptor.TEXT_CLASSIFICATION : ModelDescriptor.IMAGE_CLASSIFICATION);
        root.put("description", "Exported by nnsdk export-onnx from " + d.id() + " (backbone "
                + (d.backbone() == null ? "?" : d.backbone().id()) + ", head " + d.head().type() + ")");
        com.fasterxml.jackson.databind.node.ObjectNode art = root.putObject("artifacts").putObject(ModelFormat.ONNX.id());
        art.put("source", onnx.getFileName().toString());
        art.put("sha256", Checksums.sha256(onnx));
        List<String> inputs = new java.util.ArrayList<String>(d.inputNames());
        if (d.text() != null && d.text().windows() >= 2 && !inputs.isEmpty()) {
            inputs.add(WINDOW_TEXT);
        }
        root.putPOJO("inputs", inputs);
        root.putPOJO("outputs", Arrays.asList(PROBS, FEATURES));
        root.putPOJO("labels", d.head().labels());
        if (d.text() != null) {
            com.fasterxml.jackson.databind.node.ObjectNode t = root.putObject("text");
            com.fasterxml.jackson.databind.node.ObjectNode tok = t.putObject("tokenizer");
            tok.put("source", tokenizer.getFileName().toString());
            tok.put("sha256", Checksums.sha256(tokenizer));
            t.put("maxLength", d.text().maxLength());
            if (d.text().windows() >= 2) {
                t.put("windows", d.text().windows());
            }
            t.put("pooling", "none");
            t.put("normalize", false);
            t.put("output", PROBS);
            root.putObject("head").put("type", dev.nnsdk.repository.HeadSpec.IN_MODEL);
        } else {
            com.fasterxml.jackson.databind.node.ObjectNode i = imageJson(json, d.image());
            i.put("scores", PROBS);
            i.put("scoresAreLogits", false);
            i.put("features", FEATURES);
            i.putPOJO("labels", d.head().labels());
            root.set("image", i);
        }
        return root;
    }

    /** The image preprocessing in the model.json schema. */
    static com.fasterxml.jackson.databind.node.ObjectNode imageJson(ObjectMapper json, ImageSpec s) {
        com.fasterxml.jackson.databind.node.ObjectNode i = json.createObjectNode();
        i.put("width", s.width());
        i.put("height", s.height());
        i.put("layout", s.layout().name());
        i.put("resize", s.resize().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (s.resizeShorter() > 0) {
            i.put("resizeShorter", s.resizeShorter());
        }
        i.put("interpolation", s.interpolation().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        i.put("scale", s.scale());
        i.putPOJO("mean", s.mean());
        i.putPOJO("std", s.std());
        return i;
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through a hidden temporary file in its directory, moved into place when complete. */
    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                writer.write(out);
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the defaults
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static ModelProto merge(ModelProto m, ModelDescriptor d, HeadWeights head) {
        GraphProto g = m.getGraph();
        long opset = 0;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = o.getVersion();
            }
        }
        if (opset < 11) {
            throw new ModelLoadException("The backbone ONNX uses opset " + opset + "; export needs 11 or later");
        }
        GraphProto.Builder b = g.toBuilder().clearOutput();
        // The backbone may use our output names itself (an image classifier's own "probs" / "features"):
        // rename its tensors out of the way first.
        for (String reserved : new String[] {PROBS, FEATURES}) {
            rename(b, reserved, "backbone/" + reserved);
        }
        String x = d.text() != null ? textFeatures(b, g, d, opset >= 13) : imageFeatures(b, g, d);
        for (int k = 0; k < head.layers(); k++) {
            String w = P + "W" + k;
            String bias = P + "b" + k;
            b.addInitializer(floats(w, head.weights(k), head.outputSize(k), head.inputSize(k)));
            b.addInitializer(floats(bias, head.bias(k), head.outputSize(k)));
            String y = k == head.layers() - 1 ? P + "logits" : P + "h" + k;
            b.addNode(node("Gemm", P + "gemm" + k, new String[] {x, w, bias}, y).addAttribute(intAttr("transB", 1)));
            if (k < head.layers() - 1) {
                b.addNode(node("Relu", P + "relu" + k, new String[] {y}, y + "_relu"));
                y = y + "_relu";
            }
            x = y;
        }
        b.addNode(node("Softmax", P + "softmax", new String[] {x}, PROBS).addAttribute(intAttr("axis", 1)));
        b.addOutput(output(PROBS, head.numClasses()));
        b.addOutput(output(FEATURES, head.inputSize()));
        b.setName(d.id());
        Map<String, String> meta = new LinkedHashMap<String, String>();
        try {
            meta.put("labels", new ObjectMapper().writeValueAsString(d.head().labels()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        meta.put("backbone", d.backbone() == null ? "" : d.backbone().id());
        if (d.text() != null) {
            meta.put("tokenizer_sha256", String.valueOf(d.text().tokenizer().sha256()));
            meta.put("max_length", String.valueOf(d.text().maxLength()));
            if (d.text().windows() >= 2) {
                meta.put("windows", String.valueOf(d.text().windows()));
            }
        } else {
            ImageSpec i = d.image();
            ObjectMapper json = new ObjectMapper();
            try {
                meta.put("image", json.writeValueAsString(imageJson(json, i)));   // the model.json "image" schema
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        meta.put("head", d.head().type());
        ModelProto.Builder mb = m.toBuilder().setGraph(b).setProducerName("nnsdk")
                .setProducerVersion(dev.nnsdk.training.internal.HeadRun.sdkVersion())
                .setDocString("nnsdk " + (d.text() != null ? "text classifier: " + d.id() + " (backbone + mean pooling"
                        : "image classifier: " + d.id() + " (backbone features") + " + head + softmax)");
        for (Map.Entry<String, String> e : meta.entrySet()) {
            mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return mb.build();
    }

    /** Mean pooling over the attention mask, then L2 normalisation when the descriptor asks: output {@link #FEATURES}. */
    /** A backbone tensor's name after {@link #rename}. */
    private static String renamed(String name) {
        return PROBS.equals(name) || FEATURES.equals(name) ? "backbone/" + name : name;
    }

    /** Renames tensor {@code from} wherever the (top-level) graph mentions it. */
    private static void rename(GraphProto.Builder b, String from, String to) {
        for (NodeProto.Builder n : b.getNodeBuilderList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals(from)) {
                    n.setInput(i, to);
                }
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals(from)) {
                    n.setOutput(i, to);
                }
            }
        }
        for (ValueInfoProto.Builder v : b.getValueInfoBuilderList()) {
            if (v.getName().equals(from)) {
                v.setName(to);
            }
        }
        for (ValueInfoProto.Builder v : b.getInputBuilderList()) {
            if (v.getName().equals(from)) {
                v.setName(to);
            }
        }
        for (TensorProto.Builder t : b.getInitializerBuilderList()) {
            if (t.getName().equals(from)) {
                t.setName(to);
            }
        }
    }

    private static String textFeatures(GraphProto.Builder b, GraphProto g, ModelDescriptor d, boolean newAxes) {
        String hidden = d.text().output() != null ? d.text().output() : g.getOutput(0).getName();
        boolean found = false;
        for (ValueInfoProto o : g.getOutputList()) {
            found |= o.getName().equals(hidden);
        }
        if (!found) {
            throw new ModelLoadException("The backbone ONNX has no output '" + hidden + "'");
        }
        String mask = null;
        for (ValueInfoProto in : g.getInputList()) {
            if (in.getName().toLowerCase(java.util.Locale.ROOT).contains("mask")) {
                mask = in.getName();
            }
        }
        if (mask == null) {
            throw new ModelLoadException("The backbone ONNX has no attention-mask input to pool with");
        }
        mask = renamed(mask);
        hidden = renamed(hidden);
        b.addNode(node("Cast", P + "cast", new String[] {mask}, P + "mask_f").addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        unsqueeze(b, newAxes, P + "mask_f", P + "mask_e", 2);
        b.addNode(node("Mul", P + "mul", new String[] {hidden, P + "mask_e"}, P + "masked"));
        reduceSum(b, newAxes, P + "masked", P + "sum", 1, false);
        reduceSum(b, newAxes, P + "mask_e", P + "count", 1, false);
        b.addInitializer(scalar(P + "eps_count", 1e-9f));
        b.addNode(node("Max", P + "max_count", new String[] {P + "count", P + "eps_count"}, P + "count_c"));
        String feat = P + "mean";
        b.addNode(node("Div", P + "div_mean", new String[] {P + "sum", P + "count_c"}, feat));
        boolean windowed = d.text().windows() >= 2;
        String pooled = windowed ? P + "window_features" : FEATURES;
        if (d.text().normalize()) {
            l2Normalize(b, newAxes, feat, pooled, "");
        } else {
            b.addNode(node("Identity", P + "id", new String[] {feat}, pooled));
        }
        if (!windowed) {
            return FEATURES;
        }
        // Each row is one window; window_text[row] is the (0-based) text it belongs to. The text's features are the
        // mean of its windows' (a [texts, windows] matrix of 1/count weights times the window features), normalised
        // again, as TextEmbedderImpl does on the saved model.
        b.addInput(windowTextInput());
        b.addNode(node("ReduceMax", P + "max_text", new String[] {WINDOW_TEXT}, P + "last_text")
                .addAttribute(intAttr("keepdims", 0)));
        b.addInitializer(longScalar(P + "zero", 0));
        b.addInitializer(longScalar(P + "one", 1));
        b.addNode(node("Add", P + "add_texts", new String[] {P + "last_text", P + "one"}, P + "texts"));
        b.addNode(node("Range", P + "range", new String[] {P + "zero", P + "texts", P + "one"}, P + "text_ids"));
        unsqueeze(b, newAxes, P + "text_ids", P + "text_col", 1);
        unsqueeze(b, newAxes, WINDOW_TEXT, P + "window_row", 0);
        b.addNode(node("Equal", P + "equal", new String[] {P + "text_col", P + "window_row"}, P + "member"));
        b.addNode(node("Cast", P + "cast_member", new String[] {P + "member"}, P + "member_f")
                .addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        reduceSum(b, newAxes, P + "member_f", P + "windows", 1, true);
        b.addInitializer(scalar(P + "one_f", 1f));
        b.addNode(node("Max", P + "max_windows", new String[] {P + "windows", P + "one_f"}, P + "windows_c"));
        b.addNode(node("Div", P + "div_windows", new String[] {P + "member_f", P + "windows_c"}, P + "weights"));
        b.addNode(node("MatMul", P + "window_mean", new String[] {P + "weights", pooled}, P + "text_mean"));
        if (d.text().normalize()) {
            l2Normalize(b, newAxes, P + "text_mean", FEATURES, "text_");
        } else {
            b.addNode(node("Identity", P + "text_id", new String[] {P + "text_mean"}, FEATURES));
        }
        return FEATURES;
    }

    /** {@code out = in / max(||in||_2, 1e-12)} along axis 1; {@code tag} keeps node names apart. */
    private static void l2Normalize(GraphProto.Builder b, boolean newAxes, String in, String out, String tag) {
        b.addNode(node("Mul", P + tag + "sq", new String[] {in, in}, P + tag + "squares"));
        reduceSum(b, newAxes, P + tag + "squares", P + tag + "sumsq", 1, true);
        b.addNode(node("Sqrt", P + tag + "sqrt", new String[] {P + tag + "sumsq"}, P + tag + "norm"));
        b.addInitializer(scalar(P + tag + "eps_norm", 1e-12f));
        b.addNode(node("Max", P + tag + "max_norm", new String[] {P + tag + "norm", P + tag + "eps_norm"}, P + tag + "norm_c"));
        b.addNode(node("Div", P + tag + "div_norm", new String[] {in, P + tag + "norm_c"}, out));
    }

    /** The windowed export's extra input: int64 [windows], the text each row belongs to. */
    private static ValueInfoProto windowTextInput() {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("windows")).build();
        return ValueInfoProto.newBuilder().setName(WINDOW_TEXT).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE).setShape(shape))).build();
    }

    private static TensorProto longScalar(String name, long v) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(v).build();
    }

    /** The backbone's features output, flattened to [batch, features]: output {@link #FEATURES}. */
    private static String imageFeatures(GraphProto.Builder b, GraphProto g, ModelDescriptor d) {
        String features = d.image().featuresOutput();
        boolean found = false;
        for (ValueInfoProto o : g.getOutputList()) {
            found |= o.getName().equals(features);
        }
        if (!found) {
            throw new ModelLoadException("The backbone ONNX has no output '" + features + "' (descriptor field image.features)");
        }
        b.addNode(node("Flatten", P + "flatten", new String[] {renamed(features)}, FEATURES).addAttribute(intAttr("axis", 1)));
        return FEATURES;
    }

    private static void unsqueeze(GraphProto.Builder b, boolean axesInput, String in, String out, long axis) {
        if (axesInput) {
            b.addInitializer(longs(out + "_axes", axis));
            b.addNode(node("Unsqueeze", out + "_op", new String[] {in, out + "_axes"}, out));
        } else {
            b.addNode(node("Unsqueeze", out + "_op", new String[] {in}, out).addAttribute(intsAttr("axes", axis)));
        }
    }

    private static void reduceSum(GraphProto.Builder b, boolean axesInput, String in, String out, long axis, boolean keep) {
        NodeProto.Builder n;
        if (axesInput) {
            b.addInitializer(longs(out + "_axes", axis));
            n = node("ReduceSum", out + "_op", new String[] {in, out + "_axes"}, out);
        } else {
            n = node("ReduceSum", out + "_op", new String[] {in}, out).addAttribute(intsAttr("axes", axis));
        }
        b.addNode(n.addAttribute(intAttr("keepdims", keep ? 1 : 0)));
    }

    private static NodeProto.Builder node(String op, String name, String[] inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(Arrays.asList(inputs)).addOutput(output);
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static TensorProto scalar(String name, float v) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(v).build();
    }

    private static TensorProto longs(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    private static TensorProto floats(String name, float[] v, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float x : v) {
            t.addFloatData(x);
        }
        return t.build();
    }

    private static ValueInfoProto output(String name, int cols) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(cols)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** Labels from an exported model's metadata. */
    public static List<String> labels(Map<String, String> metadata) throws IOException {
        return Arrays.asList(new ObjectMapper().readValue(metadata.get("labels"), String[].class));
    }
}
