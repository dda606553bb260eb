/**
 * Recommendation training: interactions and item catalogues, the leave-one-out protocol, ranking metrics, the trainer and the trained recommender.
 */
package dev.nnsdk.training.recommend;
