/** Pattern rewrites of BERT-style graphs into ONNX Runtime contrib ops (Attention, SkipLayerNormalization, BiasGelu). */
package dev.nnsdk.onnx.graph.fusion;
