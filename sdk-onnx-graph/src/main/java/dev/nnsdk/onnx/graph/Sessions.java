package dev.nnsdk.onnx.graph;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.onnx.OnnxEngine;

/** Session options for the optimiser's own runs (verification, calibration): full graph optimisation, few threads. */
final class Sessions {
    private Sessions() {
    }

    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.addConfigEntry("session.intra_op.allow_spinning", "0");
        // the verification of an int8 file must run the kernels the SDK runs it with (exact on CPUs without VNNI)
        so.addConfigEntry(OnnxEngine.X64_QUANT_PRECISION, "1");
        return so;
    }
}
