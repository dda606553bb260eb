package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;

/**
 * A cross-encoder (reranker): reads a query and a passage together and scores how well they match. It is a
 * {@code *ForSequenceClassification} export with one logit (sentence-transformers {@code CrossEncoder}); the score is
 * {@code sigmoid(logit)}, or the raw logit when {@code config.json} says
 * {@code "sentence_transformers": {"activation_fn": "torch.nn.modules.linear.Identity"}}.
 *
 * <pre>{@code
 * try (CrossEncoder reranker = CrossEncoder.load(Path.of("ms-marco-MiniLM-L-6-v2"))) {
 *     List<ScoredText> best = reranker.rerank("how do cats sleep", passages, 3);   // best first
 * }
 * }</pre>
 *
 * Batched, thread-safe; close it to free native memory.
 */
public interface CrossEncoder extends AutoCloseable {

    static CrossEncoder load(String idOrPath) {
        return load(idOrPath, ModelOptions.defaults());
    }

    static CrossEncoder load(String idOrPath, ModelOptions options) {
        return load(ModelRepository.resolve(idOrPath), options);
    }

    static CrossEncoder load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    static CrossEncoder load(Path dir, ModelOptions options) {
        return load(ModelRepository.resolve(dir), options);
    }

    static CrossEncoder load(ModelDescriptor descriptor, ModelOptions options) {
        return new CrossEncoderImpl(HeadModel.open(descriptor, options, ModelDescriptor.TEXT_RANKING));
    }

    /** The score of one (query, passage) pair. */
    float score(String query, String passage);

    /** The score of each passage for the query, in input order (batched). */
    float[] scores(String query, List<String> passages);

    /** The {@code k} best passages for the query with their scores, best first (ties keep input order). */
    List<ScoredText> rerank(String query, List<String> passages, int k);

    String engine();

    @Override
    void close();
}
