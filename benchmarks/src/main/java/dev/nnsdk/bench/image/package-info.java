/**
 * Image benchmarks: images/s of the SDK and raw engine contenders per batch size, and their inputs.
 */
package dev.nnsdk.bench.image;
