/**
 * Training listeners (progress bar, logging, early stopping hooks) and the per-epoch result they receive.
 */
package dev.nnsdk.training.listener;
