package dev.nnsdk.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a child JVM that keeps rewriting a directory, at seeded random moments: after each kill,
 * the directory (once {@link AtomicDirectory#recover recovered}) is absent or a complete generation,
 * never older than the last generation the child reported as committed.
 */
class AtomicDirectoryKillTest {

    /** Kills and seed; a longer run: {@code mvn verify -pl sdk-api -Dtest=AtomicDirectoryKillTest -Datomic.kills=200}. */
    static final int KILLS = Integer.getInteger("atomic.kills", 10);
    static final long SEED = Long.getLong("atomic.seed", 20261128L);

    @Test
    void killNineAtRandomPointsNeverLeavesABrokenDirectory(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("model");
        Random random = new Random(SEED);
        int lastCommitted = 0;
        int midSwap = 0;
        int tempLeft = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(javaExe(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    AtomicDirectoryChild.class.getName(), target.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            AtomicInteger committed = new AtomicInteger(lastCommitted);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine(), "child did not start");
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("committed ")) {
                            committed.set(Integer.parseInt(line.substring("committed ".length())));
                        }
                    }
                } catch (IOException e) {
                    // the child died
                }
            });
            reader.start();
            if (kill == 0) {
                // Let the first generation land even on a slow machine, so later kills hit replacements.
                for (int waited = 0; committed.get() == 0 && waited < 60000; waited += 10) {
                    Thread.sleep(10);
                }
            }
            Thread.sleep(random.nextInt(kill % 3 == 0 ? 60 : 900));
            child.destroyForcibly(); // SIGKILL on Linux and macOS
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
            reader.join(10000);

            // What a crash left, before any recovery:
            if (!Files.exists(target) && Files.exists(tmp.resolve(".model.old"))) {
                midSwap++;
            }
            tempLeft += siblings(tmp, ".model.tmp-").size();

            AtomicDirectory.recover(target);
            assertEquals(new ArrayList<Path>(), siblings(tmp, ".model."), "recover left temporary siblings");
            if (!Files.exists(target)) {
                assertEquals(0, committed.get(), "target vanished after generation " + committed.get() + " was committed");
                continue;
            }
            int gen = AtomicDirectoryChild.generation(target);
            assertTrue(gen >= committed.get(), "generation " + gen + " is older than committed " + committed.get());
            for (int i = 0; i < AtomicDirectoryChild.FILES; i++) {
                byte[] got = Files.readAllBytes(target.resolve("weights").resolve("part-" + i + ".bin"));
                assertArrayEquals(AtomicDirectoryChild.content(gen, i), got, "generation " + gen + " file " + i);
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target.resolve("weights"))) {
                int n = 0;
                for (Path ignored : ds) {
                    n++;
                }
                assertEquals(AtomicDirectoryChild.FILES, n, "files in generation " + gen);
            }
            lastCommitted = gen;
        }
        System.out.println("AtomicDirectoryKillTest: " + KILLS + " kills, final generation " + lastCommitted
                + ", kills between the two renames " + midSwap + ", abandoned temp dirs cleaned " + tempLeft);
        assertTrue(lastCommitted > 0, "no generation was ever committed; the kills came too early");
    }

    private static List<Path> siblings(Path dir, String prefix) throws IOException {
        List<Path> out = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String javaExe() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
