package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Token classification (named-entity recognition) with a Hugging Face {@code *ForTokenClassification} export: a label
 * per token from {@code config.json} {@code id2label} (BIO / IOB2 tags such as {@code B-PER}, {@code I-PER},
 * {@code O}), grouped into entity spans with character offsets into the original text.
 *
 * <pre>{@code
 * try (TokenClassifier ner = TokenClassifier.load(Path.of("bert-base-NER"))) {
 *     for (EntitySpan e : ner.entities("John Smith lives in Paris.", TokenClassifier.Aggregation.SIMPLE)) {
 *         System.out.println(e.label() + " " + e.text() + " " + e.score());   // PER John Smith ..., LOC Paris ...
 *     }
 * }
 * }</pre>
 *
 * The aggregation strategies are those of transformers' {@code TokenClassificationPipeline}, with the same results on
 * the same logits. Batched, thread-safe; close it to free native memory.
 */
public interface TokenClassifier extends AutoCloseable {

    /** How token predictions become entities (transformers' {@code aggregation_strategy}). */
    enum Aggregation {
        /** Every token that is not {@code O}, with its own tag. */
        NONE,
        /** Adjacent tokens of one type merged (a {@code B-} tag starts a new entity); word pieces may split. */
        SIMPLE,
        /** Words (word pieces merged) take the label of their first piece, then merged as SIMPLE. */
        FIRST,
        /** Words take the label of the piece scores averaged. */
        AVERAGE,
        /** Words take the label of their most confident piece. */
        MAX;

        public static Aggregation parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("aggregation '" + s + "' is not one of none, simple, first, average, max");
            }
        }
    }

    static TokenClassifier load(String idOrPath) {
        return load(idOrPath, ModelOptions.defaults());
    }

    static TokenClassifier load(String idOrPath, ModelOptions options) {
        return load(ModelRepository.resolve(idOrPath), options);
    }

    static TokenClassifier load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    static TokenClassifier load(Path dir, ModelOptions options) {
        return load(ModelRepository.resolve(dir), options);
    }

    static TokenClassifier load(ModelDescriptor descriptor, ModelOptions options) {
        return new TokenClassifierImpl(HeadModel.open(descriptor, options, ModelDescriptor.TOKEN_CLASSIFICATION));
    }

    /** The entities of one text. */
    List<EntitySpan> entities(String text, Aggregation aggregation);

    /** The entities of each text, in input order, computed in batches. */
    List<List<EntitySpan>> entitiesAll(List<String> texts, Aggregation aggregation);

    /** Each token's label probabilities, {@code [tokens][labels]}, special tokens included (batched). */
    List<float[][]> tokenProbabilities(List<String> texts);

    /** The tags in logit order ({@code id2label}). */
    List<String> labels();

    String engine();

    @Override
    void close();
}
