/**
 * Training on DJL's PyTorch engine, for {@code sdk-train}: the only place outside the inference
 * engine that touches libtorch. Callers pass and get plain Java arrays; tensors never leave this
 * package.
 *
 * <ul>
 *   <li>{@link dev.nnsdk.djl.training.TrainingSession}: one training run's native scope (engine started
 *       offline, seeded, one intra-op thread set under the engine's own lock and restored on close).</li>
 *   <li>{@link dev.nnsdk.djl.training.OptimizerSettings}: Adam or SGD with momentum, weight decay.</li>
 *   <li>{@link dev.nnsdk.djl.training.DenseHeadModel}: a dense head (linear or MLP) trained with
 *       class-weighted cross-entropy.</li>
 *   <li>{@link dev.nnsdk.djl.training.BprModel}: a two-tower recommender trained with the BPR loss.</li>
 * </ul>
 *
 * <pre>{@code
 * try (TrainingSession session = TrainingSession.open(42)) {
 *     DenseHeadModel m = new DenseHeadModel(session, sizes, params, m1, m2, decayed, OptimizerSettings.adam(0.9, 0.999, 1e-8, 0));
 *     m.setData(x, n, targets, y);
 *     m.beginEpoch(order);
 *     m.step(0, 32, null, 32, 0.01, 1);
 *     m.endEpoch();
 *     m.copyTo(params, m1, m2);
 * }
 * }</pre>
 */
package dev.nnsdk.djl.training;
