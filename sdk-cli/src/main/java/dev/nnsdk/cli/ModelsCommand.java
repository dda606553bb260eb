package dev.nnsdk.cli;

import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.zoo.ZooResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code models}: one zoo id per line, id first (then a tab and the description with --long). */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "List the model ids of the zoo, one per line.")
final class ModelsCommand implements Callable<Integer> {

    @Option(names = {"-l", "--long"}, description = "Add a tab and each model's description.")
    boolean longFormat;

    @Override
    public Integer call() {
        for (String id : ModelRepository.ids()) {
            String d = longFormat ? ZooResolver.description(id) : null;
            System.out.println(d == null ? id : id + "\t" + d);
        }
        return 0;
    }
}
