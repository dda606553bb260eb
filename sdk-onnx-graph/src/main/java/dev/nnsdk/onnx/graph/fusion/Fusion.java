package dev.nnsdk.onnx.graph.fusion;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;

/** One pattern rewrite over an {@link OnnxGraph}; returns how many times it matched. */
public interface Fusion {
    /** Short name for logs and reports, e.g. {@code "Attention"}. */
    String name();

    int apply(OnnxGraph graph);
}
