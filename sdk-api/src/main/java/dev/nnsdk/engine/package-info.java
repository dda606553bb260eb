/**
 * The engine plug-in contract (SPI). An engine module implements {@link dev.nnsdk.engine.Engine}
 * and registers it for {@link java.util.ServiceLoader}; {@link dev.nnsdk.engine.Engines} finds it
 * by name. Data crosses the boundary only as host-memory {@link dev.nnsdk.engine.Tensor}s, so no
 * engine type leaks into the public API.
 */
package dev.nnsdk.engine;
