package dev.nnsdk.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child process of {@link AtomicDirectoryKillTest}: rewrites the target directory with generation after
 * generation (about 2 MB each, in a nested layout) until it is killed, printing each committed generation.
 */
public final class AtomicDirectoryChild {

    static final int FILES = 16;
    static final int FILE_BYTES = 128 * 1024;

    private AtomicDirectoryChild() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Paths.get(args[0]);
        AtomicDirectory.recover(target);
        int g = Files.exists(target) ? generation(target) : 0;
        System.out.println("started");
        System.out.flush();
        while (true) {
            final int gen = ++g;
            AtomicDirectory.write(target, true, dir -> {
                Files.createDirectories(dir.resolve("weights"));
                for (int i = 0; i < FILES; i++) {
                    Files.write(dir.resolve("weights").resolve("part-" + i + ".bin"), content(gen, i));
                }
                Files.write(dir.resolve("VERSION"), (gen + "\n").getBytes(StandardCharsets.UTF_8));
            });
            System.out.println("committed " + gen);
            System.out.flush();
        }
    }

    static int generation(Path dir) throws IOException {
        return Integer.parseInt(new String(Files.readAllBytes(dir.resolve("VERSION")), StandardCharsets.UTF_8).trim());
    }

    static byte[] content(int gen, int file) {
        byte[] b = new byte[FILE_BYTES];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (gen * 31 + file * 7 + k);
        }
        return b;
    }
}
