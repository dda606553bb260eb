/**
 * The architecture of a classification head (linear, MLP with dropout); its trained weights are {@code dev.nnsdk.format.HeadWeights}.
 */
package dev.nnsdk.training.head;
