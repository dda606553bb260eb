package dev.nnsdk.examples;

import dev.nnsdk.inference.ScoredItem;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.ItemCatalog;
import dev.nnsdk.training.recommend.RecommendationTrainer;
import dev.nnsdk.training.recommend.TrainedRecommender;
import dev.nnsdk.training.listener.TrainingListeners;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Trains the hybrid recommender on MovieLens small and prints one user's top 10 with titles.
 *
 * <pre>
 * java -cp sdk-cli/target/sdk-cli.jar dev.nnsdk.examples.MovieRecommendations [MOVIELENS_DIR] [USER]
 * </pre>
 * MOVIELENS_DIR defaults to {@code $SDK_ASSETS_DIR/datasets/movielens-small}, USER to 42.
 */
public final class MovieRecommendations {
    private MovieRecommendations() {
    }

    public static void main(String[] args) {
        Path dir = args.length > 0 ? Paths.get(args[0]) : SdkSettings.assetsDir().resolve("datasets/movielens-small");
        String user = args.length > 1 ? args[1] : "42";
        try (TrainedRecommender rec = FineTuning.recommendation()
                .interactions(Interactions.csv(dir.resolve("ratings.csv.gz")))
                .items(ItemCatalog.csv(dir.resolve("movies.csv.gz"), "title", "genres"))
                .itemEncoder("all-minilm-l6-v2")
                .config(RecommendationTrainer.defaultConfig(42))
                .coldStart(0)                                       // skip the cold-start evaluation run
                .listener(TrainingListeners.progressBar())
                .fit()) {
            System.out.println("Test metrics: " + rec.metrics());
            System.out.println("Top 10 for user " + user + ":");
            for (ScoredItem s : rec.recommend(user, 10)) {
                System.out.printf("  %-8s %7.3f  %s%n", s.item(), s.score(), s.text());
            }
            System.out.println("Films like Toy Story:");
            for (ScoredItem s : rec.similarItems("1", 5)) {
                System.out.printf("  %-8s %7.3f  %s%n", s.item(), s.score(), s.text());
            }
        }
    }
}
