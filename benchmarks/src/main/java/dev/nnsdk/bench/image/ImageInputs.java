package dev.nnsdk.bench.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The image files of a benchmark: either a directory (its {@code .jpg}, {@code .jpeg} and {@code .png}
 * files, not hidden, not recursive, in name order) or a text file listing one image path per line
 * (blank lines and lines starting with {@code #} skipped; relative paths are taken relative to the
 * list file's directory).
 */
public final class ImageInputs {

    /** File extensions taken from a directory (case-insensitive). */
    public static final Set<String> EXTENSIONS = Collections.unmodifiableSet(new HashSet<String>(
            Arrays.asList("jpg", "jpeg", "png")));

    private ImageInputs() {
    }

    /**
     * Up to {@code limit} image files named by {@code input}.
     *
     * @throws IllegalArgumentException naming the input (and line) when it is missing, empty, or lists a missing file
     */
    public static List<Path> list(Path input, int limit) throws IOException {
        if (Files.isDirectory(input)) {
            return fromDirectory(input, limit);
        }
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("Image input " + input + " is neither a directory nor a list file");
        }
        if (EXTENSIONS.contains(extension(input))) {
            return Collections.singletonList(input);
        }
        return fromList(input, limit);
    }

    private static List<Path> fromDirectory(Path dir, int limit) throws IOException {
        List<Path> all = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(p) && EXTENSIONS.contains(extension(p))) {
                    all.add(p);
                }
            }
        }
        Collections.sort(all);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("Directory " + dir + " holds no .jpg, .jpeg or .png files");
        }
        return all.size() > limit ? new ArrayList<Path>(all.subList(0, limit)) : all;
    }

    private static List<Path> fromList(Path list, int limit) throws IOException {
        List<Path> out = new ArrayList<Path>();
        Path base = list.toAbsolutePath().getParent();
        try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while (out.size() < limit && (line = r.readLine()) != null) {
                no++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Path p = base.resolve(t);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(list + " line " + no + ": image file " + p + " does not exist");
                }
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("Image list " + list + " names no files");
        }
        return out;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
