/** The {@code djl} engine: TorchScript models on DJL's PyTorch engine. */
package dev.nnsdk.djl;
