package dev.nnsdk.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import dev.nnsdk.EngineException;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.engine.TensorInfo;
import dev.nnsdk.engine.RunGuard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One TorchScript module in libtorch, shared by all threads.
 *
 * <p>Thread safety: DJL's {@code Predictor} is not thread-safe, but a TorchScript module's
 * {@code forward} is. Each {@link #run} therefore calls the module directly inside its own
 * {@link NDManager} scope (a sub-manager of the model's), which owns that call's input and output
 * NDArrays and frees them when the call returns, so nothing accumulates across calls. The first
 * call is serialised because DJL switches the module to inference mode on it. Calls run on a few engine-owned
 * threads ({@link CallThreads}), not on the caller's, so libtorch's and glibc's per-thread native state does not
 * grow with the number of calling threads. After calls, the memory
 * glibc keeps from libtorch's freed tensors is given back to the OS every few seconds ({@link NativeHeapTrimmer}). Calls run under
 * no-grad (DJL's JIT call guard when training is off) with the TorchScript graph optimiser off.
 *
 * <p>TorchScript files carry no input or output names, so names come from the descriptor
 * ({@link LoadOptions#inputNames()}, {@link LoadOptions#outputNames()}); inputs are passed to
 * {@code forward} positionally in that order. Types and shapes are unknown ({@code null}) until
 * libtorch checks them during the call.
 */
final class DjlModel implements EngineModel {

    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final String label;
    private final List<TensorInfo> inputs;
    private final List<String> outputNames;
    private final List<TensorInfo> outputs;
    private final RunGuard guard;
    private final Object firstCall = new Object();
    private volatile boolean warm;

    DjlModel(Model model, PtSymbolBlock block, Path file, LoadOptions options) {
        this.model = model;
        this.block = block;
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.label = "TorchScript model " + file.getFileName();
        this.inputs = infos(options.inputNames());
        this.outputNames = options.outputNames();
        this.outputs = infos(options.outputNames());
        this.guard = new RunGuard(label);
        NativeHeapTrimmer.start();
    }

    private static List<TensorInfo> infos(List<String> names) {
        List<TensorInfo> out = new ArrayList<TensorInfo>(names.size());
        for (String n : names) {
            out.add(new TensorInfo(n, null, null));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String engineName() {
        return DjlEngine.NAME;
    }

    @Override
    public List<TensorInfo> inputs() {
        return inputs;
    }

    @Override
    public List<TensorInfo> outputs() {
        return outputs;
    }

    @Override
    public List<Tensor> run(List<Tensor> in) {
        guard.enter();
        try {
            List<Tensor> ordered = order(in);
            return CallThreads.call(() -> runHere(ordered));
        } finally {
            guard.exit();
            NativeHeapTrimmer.called();
        }
    }

    /** One call, on the thread that runs it (one of {@link CallThreads}'): inputs in, forward, outputs out, scope freed. */
    private List<Tensor> runHere(List<Tensor> ordered) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList nd = new NDList(ordered.size());
            for (Tensor t : ordered) {
                nd.add(NdConversions.toNd(scope, t));
            }
            NDList result = forward(nd, ordered);
            List<Tensor> out = new ArrayList<Tensor>(result.size());
            for (int i = 0; i < result.size(); i++) {
                out.add(NdConversions.fromNd(outputName(i, result.get(i).getName()), result.get(i)));
            }
            return out;
        }
    }

    private NDList forward(NDList nd, List<Tensor> given) {
        try {
            if (!warm) {
                synchronized (firstCall) {
                    NDList out = block.forward(parameters, nd, false);
                    warm = true;
                    return out;
                }
            }
            return block.forward(parameters, nd, false);
        } catch (ai.djl.engine.EngineException | IllegalArgumentException | IllegalStateException e) {
            StringBuilder shapes = new StringBuilder();
            for (Tensor t : given) {
                shapes.append(shapes.length() == 0 ? "" : ", ").append(NdConversions.describe(t));
            }
            String msg = label + " failed on inputs [" + shapes + "]: " + TorchErrors.summary(e);
            if (TorchErrors.isResourceFailure(e)) {
                throw new EngineException(msg, e);
            }
            throw new InvalidInputException(msg, e);
        }
    }

    /** Inputs in positional order: named tensors go to their declared slot, unnamed ones keep their position. */
    private List<Tensor> order(List<Tensor> in) {
        if (in == null || in.isEmpty()) {
            throw new InvalidInputException(label + " needs inputs " + names(inputs) + " but got none");
        }
        if (inputs.isEmpty()) {
            return in;
        }
        if (in.size() != inputs.size()) {
            throw new InvalidInputException(label + " takes " + inputs.size() + " inputs " + names(inputs) + " but got "
                    + in.size() + " " + in);
        }
        Tensor[] slots = new Tensor[inputs.size()];
        for (int i = 0; i < in.size(); i++) {
            Tensor t = in.get(i);
            int slot = i;
            if (t.name() != null) {
                slot = indexOf(t.name());
                if (slot < 0) {
                    throw new InvalidInputException(label + " has no input '" + t.name() + "'; its inputs are "
                            + names(inputs));
                }
            }
            if (slots[slot] != null) {
                throw new InvalidInputException(label + " got input '" + inputs.get(slot).name() + "' twice: " + in);
            }
            slots[slot] = t;
        }
        List<Tensor> out = new ArrayList<Tensor>(slots.length);
        for (Tensor t : slots) {
            out.add(t);
        }
        return out;
    }

    private int indexOf(String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String outputName(int i, String ndName) {
        if (i < outputNames.size()) {
            return outputNames.get(i);
        }
        return ndName != null && !ndName.isEmpty() ? ndName : "output_" + i;
    }

    private static List<String> names(List<TensorInfo> infos) {
        List<String> out = new ArrayList<String>(infos.size());
        for (TensorInfo i : infos) {
            out.add(i.name());
        }
        return out;
    }

    @Override
    public void close() {
        if (guard.close()) {
            model.close();
        }
    }

    @Override
    public String toString() {
        return label + " on " + model.getNDManager().getDevice();
    }
}
