/**
 * The model descriptor format: {@link dev.nnsdk.zoo.descriptor.ModelJson}, the one typed, versioned schema of
 * {@code model.json} that every saver writes and the zoo's resolver reads.
 */
package dev.nnsdk.zoo.descriptor;
