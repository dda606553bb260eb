/**
 * Spark ML stages over the SDK's models: {@link dev.nnsdk.spark.TextEmbedder},
 * {@link dev.nnsdk.spark.TextClassifier}, {@link dev.nnsdk.spark.ImageClassifier} and
 * {@link dev.nnsdk.spark.Recommender}, each loading its model once per executor JVM through
 * {@link dev.nnsdk.spark.ModelCache}. See docs/spark.md.
 */
package dev.nnsdk.spark;
