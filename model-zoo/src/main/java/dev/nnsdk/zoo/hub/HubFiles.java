package dev.nnsdk.zoo.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model directory as a hub ships it: reads its JSON files, remembers which ones it read, and words every error
 * as "{@code file}: field '{@code name}' ..." so the user knows what to fix.
 */
final class HubFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<String> read = new ArrayList<String>();

    HubFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    boolean has(String rel) {
        return Files.isRegularFile(dir.resolve(rel));
    }

    /** The parsed file, or {@code null} when it is absent. */
    JsonNode json(String rel) {
        Path p = dir.resolve(rel);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(p.toFile());
            if (n == null) {
                throw new ModelLoadException(p + " is empty; it should hold a JSON document");
            }
            read.add(rel);
            return n;
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(p + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The files read so far, relative to the directory. */
    List<String> read() {
        return read;
    }

    ModelLoadException error(String rel, String field, String problem) {
        return new ModelLoadException(dir.resolve(rel) + (field == null ? "" : ": field '" + field + "'") + " " + problem);
    }

    /** A string field, or {@code null}; a non-string value is an error naming file and field. */
    String text(JsonNode n, String rel, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw error(rel, field, "must be a string, not " + v);
        }
        return v.asText();
    }

    /** A boolean field, or {@code dflt}. */
    boolean bool(JsonNode n, String rel, String field, boolean dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error(rel, field, "must be true or false, not " + v);
        }
        return v.asBoolean();
    }

    /** A non-negative integer field, or -1 when absent; huge sentinels (HF's 1e30 "no limit") come back as Long.MAX_VALUE. */
    long integer(JsonNode n, String rel, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() != Math.floor(v.asDouble())) {
            throw error(rel, field, "must be a non-negative integer, not " + v);
        }
        return v.asDouble() > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : v.asLong();
    }
}
