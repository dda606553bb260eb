/**
 * The {@code sdk-cli} command-line tool (picocli): one class per command; its contract (options, outputs, exit codes) is docs/cli.md. Inference commands use only the public API, model-zoo and the engines; training commands use sdk-train; only {@code bench} uses the benchmarks module.
 */
package dev.nnsdk.cli;
