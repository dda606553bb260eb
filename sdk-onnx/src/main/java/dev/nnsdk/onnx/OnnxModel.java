package dev.nnsdk.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nnsdk.EngineException;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.engine.DataType;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.RunGuard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One ONNX Runtime session. {@link OrtSession#run} is thread-safe; every native tensor is closed per call. */
final class OnnxModel implements EngineModel {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<dev.nnsdk.engine.TensorInfo> inputs;
    private final List<dev.nnsdk.engine.TensorInfo> outputs;
    private final RunGuard guard;

    OnnxModel(OrtEnvironment env, OrtSession session, Path file) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputs = describe(session.getInputInfo());
        this.outputs = describe(session.getOutputInfo());
        this.guard = new RunGuard("ONNX model " + file.getFileName());
    }

    private static List<dev.nnsdk.engine.TensorInfo> describe(Map<String, NodeInfo> infos) {
        List<dev.nnsdk.engine.TensorInfo> out = new ArrayList<dev.nnsdk.engine.TensorInfo>();
        for (NodeInfo n : infos.values()) {
            if (n.getInfo() instanceof TensorInfo) {
                TensorInfo ti = (TensorInfo) n.getInfo();
                out.add(new dev.nnsdk.engine.TensorInfo(n.getName(), toDataType(ti.type), ti.getShape()));
            } else {
                out.add(new dev.nnsdk.engine.TensorInfo(n.getName(), null, null));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static DataType toDataType(OnnxJavaType t) {
        switch (t) {
            case FLOAT: return DataType.FLOAT32;
            case INT64: return DataType.INT64;
            case INT32: return DataType.INT32;
            case UINT8: return DataType.UINT8;
            default: return null;
        }
    }

    @Override
    public String engineName() {
        return OnnxEngine.NAME;
    }

    @Override
    public List<dev.nnsdk.engine.TensorInfo> inputs() {
        return inputs;
    }

    @Override
    public List<dev.nnsdk.engine.TensorInfo> outputs() {
        return outputs;
    }

    @Override
    public List<Tensor> run(List<Tensor> in) {
        guard.enter();
        Map<String, OnnxTensor> feed = new LinkedHashMap<String, OnnxTensor>();
        try {
            Map<String, Tensor> byName = match(in);
            for (Map.Entry<String, Tensor> e : byName.entrySet()) {
                feed.put(e.getKey(), toOnnx(e.getValue()));
            }
            try (OrtSession.Result result = session.run(feed)) {
                List<Tensor> out = new ArrayList<Tensor>(result.size());
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.add(fromOnnx(e.getKey(), e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime failed to run the model on inputs " + in + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : feed.values()) {
                t.close();
            }
            guard.exit();
        }
    }

    /** Inputs by name (or by position when unnamed), checked against the declared types and static dimensions. */
    private Map<String, Tensor> match(List<Tensor> in) {
        if (in.size() != inputs.size()) {
            throw new InvalidInputException("Model takes " + inputs.size() + " inputs " + inputs + " but got " + in.size());
        }
        Map<String, Tensor> given = new HashMap<String, Tensor>();
        for (int i = 0; i < in.size(); i++) {
            Tensor t = in.get(i);
            given.put(t.name() != null ? t.name() : inputs.get(i).name(), t);
        }
        Map<String, Tensor> out = new LinkedHashMap<String, Tensor>();
        for (dev.nnsdk.engine.TensorInfo info : inputs) {
            Tensor t = given.get(info.name());
            if (t == null) {
                throw new InvalidInputException("Missing input '" + info.name() + "'; model inputs are " + inputs
                        + ", given " + in);
            }
            if (info.dataType() != null && t.dataType() != info.dataType()) {
                throw new InvalidInputException("Input '" + info.name() + "' must be " + info.dataType() + " but is "
                        + t.dataType());
            }
            long[] want = info.shape();
            long[] got = t.shape();
            if (want != null) {
                boolean ok = want.length == got.length;
                for (int i = 0; ok && i < want.length; i++) {
                    ok = want[i] < 0 || want[i] == got[i];
                }
                if (!ok) {
                    throw new InvalidInputException("Input '" + info.name() + "' must have shape "
                            + Arrays.toString(want).replace("-1", "?") + " but has " + Arrays.toString(got));
                }
            }
            out.put(info.name(), t);
        }
        return out;
    }

    private OnnxTensor toOnnx(Tensor t) throws OrtException {
        long[] shape = t.shape();
        switch (t.dataType()) {
            case FLOAT32: return OnnxTensor.createTensor(env, t.floatBuffer(), shape);
            case INT64: return OnnxTensor.createTensor(env, t.longBuffer(), shape);
            case INT32: return OnnxTensor.createTensor(env, t.intBuffer(), shape);
            case UINT8: return OnnxTensor.createTensor(env, t.byteBuffer(), shape, OnnxJavaType.UINT8);
            default: throw new InvalidInputException("Unsupported tensor type " + t.dataType());
        }
    }

    private static Tensor fromOnnx(String name, OnnxValue v) {
        if (!(v instanceof OnnxTensor)) {
            throw new EngineException("Output '" + name + "' is a " + v.getType() + ", not a tensor");
        }
        OnnxTensor ot = (OnnxTensor) v;
        long[] shape = ot.getInfo().getShape();
        switch (ot.getInfo().type) {
            case FLOAT: return Tensor.ofFloats(name, ot.getFloatBuffer(), shape);
            case INT64: return Tensor.ofLongs(name, ot.getLongBuffer(), shape);
            case INT32: {
                java.nio.IntBuffer ib = ot.getIntBuffer();
                int[] a = new int[ib.remaining()];
                ib.get(a);
                return Tensor.ofInts(name, a, shape);
            }
            default:
                throw new EngineException("Output '" + name + "' has unsupported type " + ot.getInfo().type);
        }
    }

    @Override
    public void close() {
        if (guard.close()) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new EngineException("Closing the ONNX session failed: " + e.getMessage(), e);
            }
        }
    }
}
