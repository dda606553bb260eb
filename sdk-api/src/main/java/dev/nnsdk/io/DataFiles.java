package dev.nnsdk.io;

import dev.nnsdk.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Opens the data files users pass (texts to embed, datasets to train on): a file's bytes, gunzipped when its
 * name ends in {@code .gz}, with errors that name the file.
 *
 * <pre>{@code
 * try (InputStream in = DataFiles.open(Path.of("reviews.jsonl.gz"), "Input")) { ... }
 * }</pre>
 */
public final class DataFiles {

    private DataFiles() {
    }

    /**
     * Opens {@code file}, gunzipped when its name ends in {@code .gz}.
     *
     * @param what how errors name the file ("Dataset", "Input")
     * @throws InvalidInputException when the file does not exist or is not valid gzip
     */
    public static InputStream open(Path file, String what) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + " file " + file + " does not exist");
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (IOException e) {
                in.close();
                throw new InvalidInputException(what + " " + file + " is not a valid gzip file: " + e.getMessage());
            }
        }
        return in;
    }
}
