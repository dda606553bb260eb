package dev.nnsdk.training.data;

import java.util.Objects;

/** One labelled text, with where it came from ({@code file:line}) for error messages. */
public final class TextExample {
    private final String text;
    private final String label;
    private final String source;

    public TextExample(String text, String label, String source) {
        this.text = Objects.requireNonNull(text, "text");
        this.label = Objects.requireNonNull(label, "label");
        this.source = source == null ? "" : source;
    }

    public String text() {
        return text;
    }

    public String label() {
        return label;
    }

    /** {@code file:line}, or empty for examples built in code. */
    public String source() {
        return source;
    }
}
