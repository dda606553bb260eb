package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.format.RecommenderWeights;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.zoo.descriptor.ModelJson;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.RecommenderEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code evaluate} for a saved recommender: the leave-one-out HR@10 / NDCG@10 of the model and the
 * popularity baseline on an interactions file, as one JSON object on the last stdout line.
 * {@link Cli#run} routes {@code evaluate --model DIR} here when DIR holds a saved recommender
 * (other models go to {@link EvaluateCommand}).
 */
@Command(name = "evaluate", description = "Evaluate a saved recommender on interactions (leave-one-out HR@10, NDCG@10).")
public final class RecommendationEvaluateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Saved recommender directory.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "RATINGS.csv", description = "Interactions CSV (.csv or .csv.gz).")
    Path data;

    @Option(names = "--seed", paramLabel = "N", description = "Negative-sampling seed (default: the training seed).")
    Long seed;

    @Option(names = "--min-rating", paramLabel = "R", description = "Keep only rows rated >= R (default: every row).")
    Double minRating;

    @picocli.CommandLine.Mixin
    ModelArgs modelArgs;

    /** Whether an {@code evaluate} command line names a saved recommender with {@code --model}. */
    static boolean wants(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String dir = null;
            if ("--model".equals(args[i]) && i + 1 < args.length) {
                dir = args[i + 1];
            } else if (args[i].startsWith("--model=")) {
                dir = args[i].substring("--model=".length());
            }
            if (dir != null) {
                try {
                    return isRecommender(java.nio.file.Paths.get(dir));
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether {@code dir} holds a saved recommender (for the general evaluate command's dispatch). */
    public static boolean isRecommender(Path dir) {
        Path json = dir.resolve("model.json");
        if (!Files.isRegularFile(json)) {
            return Files.isRegularFile(dir.resolve(RecommenderWeights.LEGACY_PROPERTIES));
        }
        try {
            return ModelDescriptor.RECOMMENDATION.equals(ModelJson.read(json).task());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        long s = seed != null ? seed : trainingSeed(model);
        try (Recommender rec = Recommender.load(model, modelArgs.options(32))) {
            Interactions in = minRating == null ? Interactions.csv(data) : Interactions.csv(data, minRating);
            System.out.println(JSON.writeValueAsString(RecommenderEvaluation.evaluate(
                    RecommenderWeights.read(ModelRepository.resolve(model).recommender()), in, s)));
        }
        return 0;
    }

    /** The seed the recommender was trained with (its provenance), or 42. */
    private static long trainingSeed(Path dir) {
        Object provenance = ModelJson.read(dir.resolve("model.json")).provenance();
        if (provenance instanceof java.util.Map && ((java.util.Map<?, ?>) provenance).get("seed") instanceof Number) {
            return ((Number) ((java.util.Map<?, ?>) provenance).get("seed")).longValue();
        }
        return 42L;
    }
}
