package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.Classification;

import java.io.IOException;
import java.util.List;

/**
 * The CLI's one-line JSON form of a classification:
 * {@code {["file":...,] "label":..., "score":..., "top":[{"label":...,"score":...}, ...]}}, used by
 * {@code classify-image} and {@code predict}.
 */
final class ClassificationJson {

    private ClassificationJson() {
    }

    /** Writes one line for the best-first {@code top} list; {@code file} is left out when null. */
    static void writeLine(JsonGenerator g, String file, List<Classification> top) throws IOException {
        g.writeStartObject();
        if (file != null) {
            g.writeStringField("file", file);
        }
        g.writeStringField("label", top.get(0).label());
        g.writeNumberField("score", top.get(0).score());
        g.writeArrayFieldStart("top");
        for (Classification c : top) {
            g.writeStartObject();
            g.writeStringField("label", c.label());
            g.writeNumberField("score", c.score());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
