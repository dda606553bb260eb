/**
 * The {@code djl} engine: TorchScript models on DJL's PyTorch engine (DJL 0.36.0, libtorch 2.7.1
 * CPU natives from Maven Central, offline). {@link dev.nnsdk.djl.DjlEngine} is the
 * {@link dev.nnsdk.engine.Engine} plug-in; everything else is package-private: file checks
 * ({@code TorchScriptFiles}), loading ({@code TorchScriptLoader}), the libtorch runtime, device and
 * threads ({@code PyTorchRuntime}), the thread-safe model ({@code DjlModel}), tensor copies
 * ({@code NdConversions}) and error messages ({@code TorchErrors}). See {@code docs/engines.md}.
 */
package dev.nnsdk.djl;
