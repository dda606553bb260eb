package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.inference.ScoredItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code recommend}: the top items for one user as a JSON array of
 * {@code {"item":...,"score":...,"text":...}} on stdout (text omitted when unknown). Items the user
 * already has are never listed. An unknown user is an error (exit 1) unless
 * {@code --popular-fallback}, which lists the most popular items instead.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Recommend items for a user with a saved recommender.")
final class RecommendCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Saved recommender directory.")
    Path model;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "User id.")
    String user;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", description = "How many items (default: ${DEFAULT-VALUE}).")
    int k = 10;

    /** The spelling before 0.1 ({@code --k}): hidden, kept for one release. */
    @Option(names = "--k", hidden = true, paramLabel = "K")
    void legacyK(int value) {
        k = value;   // the field has no picocli defaultValue, which picocli would re-apply over this
    }

    @Option(names = "--popular-fallback", description = "For an unknown user, list the most popular items instead of failing.")
    boolean popularFallback;

    @Mixin
    ModelArgs modelArgs;

    @Override
    public Integer call() throws Exception {
        try (Recommender rec = Recommender.load(model, modelArgs.options(32))) {
            List<ScoredItem> top = !rec.hasUser(user) && popularFallback ? rec.popular(k) : rec.recommend(user, k);
            ArrayNode a = JSON.createArrayNode();
            for (ScoredItem s : top) {
                ObjectNode o = a.addObject();
                o.put("item", s.item());
                o.put("score", s.score());
                if (s.text() != null) {
                    o.put("text", s.text());
                }
            }
            System.out.println(JSON.writeValueAsString(a));
        }
        return 0;
    }
}
