/**
 * Classification metrics (accuracy, per-class and macro precision/recall/F1, confusion matrix) and the evaluation of saved models on data sets.
 */
package dev.nnsdk.training.metrics;
