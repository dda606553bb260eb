package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.io.DataFiles;
import dev.nnsdk.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads texts from {@code .txt} (one text per line; an empty line is an empty text) or
 * {@code .jsonl} (one JSON object per line with a string field {@code text}; blank lines are
 * skipped), optionally gzip-compressed ({@code .gz}). Lines end with LF or CRLF. Strict UTF-8 (a
 * UTF-8 BOM is dropped), decoded line by line so that an error names the right line; every error
 * names the file and line.
 */
final class TextInput implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean jsonl;
    private final String field;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream(1024);
    private int lineNo;

    TextInput(Path file, String field) throws IOException {
        this.file = file;
        this.field = field;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            jsonl = true;
        } else if (name.endsWith(".txt") || name.endsWith(".text")) {
            jsonl = false;
        } else {
            throw new InvalidInputException("Input " + file + " must end in .txt or .jsonl (optionally .gz)");
        }
        this.in = new BufferedInputStream(DataFiles.open(file, "Input"), 1 << 16);
    }

    /** The next line's bytes decoded as UTF-8 without its terminator, or {@code null} at the end. */
    private String readLine() throws IOException {
        lineBytes.reset();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            lineBytes.write(b);
        }
        if (b < 0 && lineBytes.size() == 0) {
            return null;
        }
        byte[] bytes = lineBytes.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        return utf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    }

    /** Counts the texts (a quick pass for progress reporting). */
    static long count(Path file) throws IOException {
        long n = 0;
        try (TextInput in = new TextInput(file, "text")) {
            while (in.nextLineRaw() != null) {
                n++;
            }
        }
        return n;
    }

    private String nextLineRaw() throws IOException {
        while (true) {
            String line;
            try {
                line = readLine();
            } catch (CharacterCodingException e) {
                throw new InvalidInputException(file + ": line " + (lineNo + 1) + " is not valid UTF-8");
            } catch (IOException e) {
                // e.g. a truncated or corrupt .gz, whose exceptions do not name the file
                throw new InvalidInputException(file + ": cannot read line " + (lineNo + 1) + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return null;
            }
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (jsonl && line.trim().isEmpty()) {
                continue;
            }
            return line;
        }
    }

    /** The next text, or {@code null} at the end. */
    String next() throws IOException {
        String line = nextLineRaw();
        if (line == null || !jsonl) {
            return line;
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InvalidInputException(file + ": line " + lineNo + " must be a JSON object");
        }
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(file + ": line " + lineNo + " has no field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(file + ": line " + lineNo + ": field '" + field + "' must be a string, not "
                    + v.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return v.asText();
    }

    /** Up to {@code max} next texts (empty at the end). */
    List<String> next(int max) throws IOException {
        List<String> out = new ArrayList<String>(Math.min(max, 4096));
        String t;
        while (out.size() < max && (t = next()) != null) {
            out.add(t);
        }
        return out;
    }

    /** Line number of the last text read. */
    int line() {
        return lineNo;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
