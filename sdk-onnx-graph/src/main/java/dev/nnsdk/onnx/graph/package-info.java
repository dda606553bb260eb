/**
 * ONNX graph optimisation for ONNX Runtime in Java: {@link dev.nnsdk.onnx.graph.ModelOptimizer} (fuse, verify,
 * quantise), {@link dev.nnsdk.onnx.graph.OnnxGraphPreparer} (sdk-onnx's load-time plug-in with its SHA-256 cache),
 * {@link dev.nnsdk.onnx.graph.ir.OnnxGraph} (the editable graph), sample and calibration inputs.
 */
package dev.nnsdk.onnx.graph;
