/**
 * The benchmark harness behind {@code sdk-cli bench}: workloads, contenders (the SDK, raw ONNX Runtime, raw DJL, LangChain4j), machine description, process statistics and soak runs. Used only by the CLI's bench command.
 */
package dev.nnsdk.bench;
