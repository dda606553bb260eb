/**
 * JMH micro-benchmarks of text embedding.
 */
package dev.nnsdk.bench.jmh;
