/**
 * Task-level APIs users call: {@link dev.nnsdk.inference.TextEmbedder} and friends. Each is an
 * {@link java.lang.AutoCloseable}, thread-safe interface with static {@code load} methods taking a
 * zoo id or a path and optional {@link dev.nnsdk.ModelOptions}.
 */
package dev.nnsdk.inference;
