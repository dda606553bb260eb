/** The editable in-memory ONNX graph ({@link dev.nnsdk.onnx.graph.ir.OnnxGraph}) that fusions and the quantiser rewrite. */
package dev.nnsdk.onnx.graph.ir;
