package dev.nnsdk.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 items 2 and 8: every command answers -h/--help and -V/--version with exit 0 (the build's version, no
 * picocli warnings), and "how many" is spelled -k/--top-k everywhere, the old spellings hidden but still accepted.
 * Needs no model: nothing here loads one.
 */
class CliContractTest {

    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Cli.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every sub-command name, from the tool itself (a new command is covered without editing this test). */
    static List<String> commands() {
        List<String> names = new ArrayList<String>(new CommandLine(new Cli()).getSubcommands().keySet());
        names.remove("help");
        assertTrue(names.size() >= 11, "commands: " + names);
        return names;
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        String version = Cli.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "the build's version, got " + version);
        List<String[]> invocations = new ArrayList<String[]>();
        for (String c : commands()) {
            invocations.add(new String[] {c});
        }
        invocations.add(new String[] {"finetune", "--task", "recommendation"});   // routed to its own command
        for (String[] c : invocations) {
            for (String flag : new String[] {"-h", "--help"}) {
                String[] args = append(c, flag);
                Result r = run(args);
                assertEquals(0, r.code, String.join(" ", args) + ": " + r);
                assertTrue(r.out.contains("Usage: sdk-cli " + c[0]), String.join(" ", args) + ": " + r);
                assertFalse(r.out.contains("WARN") || r.err.contains("WARN"), String.join(" ", args) + ": " + r);
            }
            for (String flag : new String[] {"-V", "--version"}) {
                String[] args = append(c, flag);
                Result r = run(args);
                assertEquals(0, r.code, String.join(" ", args) + ": " + r);
                assertEquals("sdk-cli " + version, r.out.trim(), String.join(" ", args));
            }
        }
        Result help = run("help", "finetune");
        assertEquals(0, help.code, help.toString());
        assertFalse(help.err.contains("WARN") || help.out.contains("WARN"), help.toString());
        assertTrue(help.out.contains("10% warm-up"), help.out);
    }

    @Test
    void howManyIsSpelledTopKEverywhereWithTheOldSpellingsHidden() {
        String[][] commandsAndOld = {{"search", "--k"}, {"classify-image", null}, {"predict", "--top"}, {"recommend", "--k"}};
        for (String[] c : commandsAndOld) {
            CommandLine.Model.CommandSpec spec = new CommandLine(new Cli()).getSubcommands().get(c[0]).getCommandSpec();
            CommandLine.Model.OptionSpec k = spec.findOption("--top-k");
            assertNotNull(k, c[0] + " has --top-k");
            assertTrue(java.util.Arrays.asList(k.names()).contains("-k"), c[0] + " has -k");
            if (c[1] != null) {
                CommandLine.Model.OptionSpec old = spec.findOption(c[1]);
                assertNotNull(old, c[0] + " still accepts " + c[1]);
                assertTrue(old.hidden(), c[0] + " hides " + c[1]);
            }
            Result r = run(c[0], "--help");
            assertFalse(r.out.contains("--top ") || r.out.contains("--k "), c[0] + " help shows an old spelling: " + r.out);
        }
    }

    @Test
    void verboseIsAcceptedAnywhereAndRemovedBeforeParsing() {
        Result r = run("models", "--verbose");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("all-minilm-l6-v2"), r.out);
    }

    private static String[] append(String[] a, String x) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = x;
        return out;
    }
}
