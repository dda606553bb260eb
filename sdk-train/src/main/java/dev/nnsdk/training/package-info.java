/**
 * Fine-tuning: the {@link dev.nnsdk.training.FineTuning} entry point, trainers for text and image classification, the training configuration and run record, and the trained models they return.
 */
package dev.nnsdk.training;
