/** Features extracted on Spark, brought to the driver for {@code FineTuning} (needs {@code sdk-train}). */
package dev.nnsdk.spark.training;
