/**
 * The SDK's basic vocabulary: {@link dev.nnsdk.Device}, {@link dev.nnsdk.ModelOptions} and the
 * exception hierarchy rooted at {@link dev.nnsdk.SdkException}.
 *
 * <p>Task APIs live in {@code dev.nnsdk.inference}; the engine plug-in contract in
 * {@code dev.nnsdk.engine}; model descriptors and resolution in {@code dev.nnsdk.repository}.
 * Nothing in these packages names an engine type: engines are found at run time through
 * {@link java.util.ServiceLoader}.
 */
package dev.nnsdk;
