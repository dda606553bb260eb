/**
 * The SDK's own binary weight formats, read by the plain-Java task implementations and written by fine-tuning: a classification head ({@link dev.nnsdk.format.HeadWeights}, {@code head.bin}) and a recommender ({@link dev.nnsdk.format.RecommenderWeights}, {@code recommender.bin}). The descriptor that names them is {@code model.json} ({@code dev.nnsdk.zoo.descriptor.ModelJson} in model-zoo).
 */
package dev.nnsdk.format;
