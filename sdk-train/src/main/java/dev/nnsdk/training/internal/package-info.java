/**
 * Hidden to other modules: the training loop machinery (head and recommender steps, optimizer state, checkpoints, feature cache).
 */
package dev.nnsdk.training.internal;
