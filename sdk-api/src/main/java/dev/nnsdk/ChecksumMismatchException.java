package dev.nnsdk;

import java.nio.file.Path;

/** A model file whose SHA-256 differs from the recorded one: the SDK refuses to load it. */
public class ChecksumMismatchException extends ModelLoadException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(Path file, String expected, String actual) {
        super("Checksum mismatch for " + file + ": expected SHA-256 " + expected + " but the file has " + actual
                + "; refusing to load it (delete the file to have it restored, or fix the recorded checksum)");
        this.file = file;
        this.expected = expected;
        this.actual = actual;
    }

    /** A mismatch of something that is not a local file (a download from {@code source}, a URL); nothing was kept. */
    public ChecksumMismatchException(String source, String expected, String actual) {
        super("Checksum mismatch for " + source + ": expected SHA-256 " + expected + " but got " + actual
                + "; refusing it (nothing was written to the cache; fix the URL or the recorded checksum)");
        this.file = null;
        this.expected = expected;
        this.actual = actual;
    }

    /** The local file, or {@code null} when the source was not one (a download). */
    public Path file() {
        return file;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
