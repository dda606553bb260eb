package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.io.DataFiles;
import dev.nnsdk.InvalidInputException;

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
    /**
     * Longest line read (64 MiB): a longer one is refused naming the file and line. The model uses
     * only its first word pieces anyway (the tokenizer encodes a bounded prefix, see
     * {@code HfTokenizer}); this bounds what a single line can cost before that.
     */
    static final int MAX_LINE_BYTES = 64 << 20;

    /** Jackson's string limit set to the line limit (its default, 20 M characters, refused a 25 MB text). */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(MAX_LINE_BYTES).maxNestingDepth(64).build())
            .build());

    private final Path file;
    private final boolean jsonl;
    private final String field;
    private final InputStream in;
    /** Read-ahead buffer (bulk reads; a line is found by scanning it, not byte by byte). */
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final LineBuffer lineBytes = new LineBuffer(1024);
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
        this.in = DataFiles.open(file, "Input");
    }

    /** The next line's bytes decoded as UTF-8 without its terminator, or {@code null} at the end. */
    private String readLine() throws IOException {
        lineBytes.reset();
        boolean any = false;
        while (true) {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int nl = pos;
            while (nl < lim && buf[nl] != '\n') {
                nl++;
            }
            if (lineBytes.size() + (nl - pos) > MAX_LINE_BYTES) {
                throw new InvalidInputException(file + ": line " + (lineNo + 1) + " is longer than " + MAX_LINE_BYTES
                        + " bytes (the longest line read)");
            }
            lineBytes.write(buf, pos, nl - pos);
            if (nl < lim) {
                pos = nl + 1;
                break;
            }
            pos = lim;
        }
        byte[] bytes = lineBytes.bytes();
        int n = lineBytes.size();
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        if (ascii(bytes, n)) {
            return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);   // the same text, without a decoder's copies
        }
        return utf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    }

    private static boolean ascii(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A byte buffer whose array is read in place (no copy of a long line). */
    private static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }

        /** Empties it; an array grown past 1 MiB by a long line is dropped, not kept for the rest of the file. */
        @Override
        public synchronized void reset() {
            super.reset();
            if (buf.length > (1 << 20)) {
                buf = new byte[1024];
            }
        }
    }

    /**
     * Counts the texts (a quick pass for progress reporting), or returns -1 (unknown) when the input
     * is not a regular file: a FIFO or {@code /dev/stdin} can be read only once, so it is never opened
     * to count.
     */
    static long count(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return -1;
        }
        try (TextInput in = new TextInput(file, "text")) {
            return in.countLines();
        }
    }

    /**
     * The texts {@link #next()} will give, counted on the bytes: no line is copied or decoded (a 48 MB line costs a
     * scan, not three copies). A {@code .txt} line counts; a {@code .jsonl} line counts unless it is blank, that is
     * when all its bytes are at most {@code 0x20} (such bytes are never part of a UTF-8 sequence, so this is
     * {@code String.trim().isEmpty()} of the decoded line), after a UTF-8 BOM on the first line. Lines that
     * {@code next()} refuses (bad UTF-8, bad JSON) are counted too: the count is for progress only.
     */
    private long countLines() throws IOException {
        long n = 0;
        boolean inLine = false;     // bytes of the current line seen
        boolean blank = true;       // all of them <= 0x20 so far
        int bom = 0;                // BOM bytes matched at the start of the file (0..3), -1 once past it
        try {
            while (true) {
                int len = in.read(buf, 0, buf.length);
                if (len <= 0) {
                    break;
                }
                for (int i = 0; i < len; i++) {
                    byte b = buf[i];
                    if (bom >= 0) {
                        if (bom < 3 && (b & 0xFF) == BOM[bom]) {
                            bom++;
                            inLine = true;
                            continue;
                        }
                        bom = -1;
                    }
                    if (b == '\n') {
                        if (!jsonl || !blank) {
                            n++;
                        }
                        inLine = false;
                        blank = true;
                    } else {
                        inLine = true;
                        if ((b & 0xFF) > 0x20) {
                            blank = false;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read line " + (n + 1) + ": " + e.getMessage(), e);
        }
        if (inLine && (!jsonl || !blank)) {
            n++;
        }
        return n;
    }

    private static final int[] BOM = {0xEF, 0xBB, 0xBF};

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
