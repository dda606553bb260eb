package dev.nnsdk.cli;

import dev.nnsdk.SdkException;
import dev.nnsdk.SdkSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code sdk-cli} command-line tool. Its input and output formats are a public contract:
 * see the README's "Command line" section.
 *
 * <p>Exit codes: 0 success, 1 a failure the message explains (bad data, model, engine), 2 a usage error.
 */
@Command(name = "sdk-cli", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Run and fine-tune pretrained neural networks from the command line.",
        subcommands = {ModelsCommand.class, EmbedCommand.class, SearchCommand.class, ClassifyImageCommand.class,
                FinetuneCommand.class, EvaluateCommand.class, PredictCommand.class, ExportOnnxCommand.class,
                RecommendCommand.class, SampleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Cli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit code (used by tests). */
    public static int run(String... args) {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        Object command = new Cli();
        String[] rest = args;
        // Recommendation has its own options: "finetune --task recommendation" and "evaluate --model <recommender>"
        // go to the recommendation commands (the other tasks and models to FinetuneCommand / EvaluateCommand).
        if (args.length > 0 && "finetune".equals(args[0]) && RecommendationFinetuneCommand.wants(args)) {
            command = new RecommendationFinetuneCommand();
            rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else if (args.length > 0 && "evaluate".equals(args[0]) && RecommendationEvaluateCommand.wants(args)) {
            command = new RecommendationEvaluateCommand();
            rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler(Cli::handle);
        return cl.execute(rest);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parse) {
        PrintWriter err = cmd.getErr();
        if (e instanceof SdkException || e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof IllegalStateException) {
            err.println("error: " + message(e));
            if (System.getenv("SDK_DEBUG") != null) {
                e.printStackTrace(err);
            }
        } else {
            err.println("error: unexpected " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The message, plus what happened for NIO file errors, whose message is often only the path. */
    static String message(Exception e) {
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() == null) {
            String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
            return e.getMessage() + ": " + kind.toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage();
    }

    /** Prints the SDK version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"sdk-cli " + (v == null ? "dev" : v)};
        }
    }
}
