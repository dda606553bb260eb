package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.format.RecommenderWeights;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.RecommenderEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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
        return Files.isRegularFile(dir.resolve(RecommenderWeights.LEGACY_PROPERTIES));
    }

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        if (isRecommender(model)) {
            try (InputStream in = Files.newInputStream(model.resolve(RecommenderWeights.LEGACY_PROPERTIES))) {
                p.load(in);
            }
        }
        long s = seed != null ? seed : Long.parseLong(p.getProperty("seed", "42"));
        try (Recommender rec = Recommender.load(model, modelArgs.options(32))) {
            Interactions in = minRating == null ? Interactions.csv(data) : Interactions.csv(data, minRating);
            System.out.println(JSON.writeValueAsString(RecommenderEvaluation.evaluate(
                    RecommenderWeights.read(dev.nnsdk.repository.ModelRepository.resolve(model).recommender()), in, s)));
        }
        return 0;
    }
}
