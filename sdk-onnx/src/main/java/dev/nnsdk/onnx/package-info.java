/**
 * The ONNX Runtime engine ({@code onnx}): the {@link dev.nnsdk.engine.Engine} plug-in, its sessions, threads and devices, and the pin that keeps ONNX Runtime's native environment alive until the JVM exits. Nothing here is API: users select it with {@code ModelOptions.optEngine("onnx")}.
 */
package dev.nnsdk.onnx;
