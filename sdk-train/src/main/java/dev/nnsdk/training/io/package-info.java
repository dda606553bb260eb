/**
 * Writing trained models: the saved-model directory ({@code model.json} + weights + reports), plots, and the merged ONNX export.
 */
package dev.nnsdk.training.io;
