/** Static int8 QDQ quantisation (S8S8, per-channel weights) and activation-range calibration. */
package dev.nnsdk.onnx.graph.quant;
