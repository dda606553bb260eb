/**
 * Files the SDK reads and writes safely, shared by every module: SHA-256 checksums ({@link dev.nnsdk.io.Checksums}), crash-safe directory writes ({@link dev.nnsdk.io.AtomicDirectory}) and the gzip-aware opening of users' data files ({@link dev.nnsdk.io.DataFiles}).
 */
package dev.nnsdk.io;
