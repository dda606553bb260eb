package dev.nnsdk.training.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.nnsdk.InvalidInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads labelled text datasets: JSON Lines ({@code {"text": ..., "label": ...}} per line, blank
 * lines skipped) or CSV (a header row naming the {@code text} and {@code label} columns, RFC 4180
 * quoting), each optionally gzip-compressed ({@code .gz}). Strict UTF-8. Every error names the file,
 * the line and the field.
 *
 * <pre>{@code
 * TextDataset train = Datasets.read(Path.of("train.jsonl.gz"));
 * TextDataset other = Datasets.csv(Path.of("tickets.csv"), "body", "category");
 * }</pre>
 */
public final class Datasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Datasets() {
    }

    /** Reads a {@code .jsonl} or {@code .csv} file (optionally {@code .gz}) with fields {@code text} and {@code label}. */
    public static TextDataset read(Path file) {
        return read(file, "text", "label");
    }

    /** Reads a {@code .jsonl} or {@code .csv} file (optionally {@code .gz}) with the given field names. */
    public static TextDataset read(Path file, String textField, String labelField) {
        String n = baseName(file);
        if (n.endsWith(".csv")) {
            return csv(file, textField, labelField);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return jsonl(file, textField, labelField);
        }
        throw new InvalidInputException("Dataset " + file + " must end in .jsonl or .csv (optionally .gz)");
    }

    /** JSON Lines with fields {@code text} and {@code label}. */
    public static TextDataset jsonl(Path file) {
        return jsonl(file, "text", "label");
    }

    public static TextDataset jsonl(Path file, String textField, String labelField) {
        List<TextExample> out = new ArrayList<TextExample>();
        try (BufferedReader r = new BufferedReader(open(file), 1 << 16)) {
            int lineNo = 0;
            String line;
            while ((line = readLine(r, file, lineNo)) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.trim().isEmpty()) {
                    continue;
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
                String where = file + ": line " + lineNo;
                out.add(new TextExample(field(n.get(textField), textField, where, false),
                        field(n.get(labelField), labelField, where, true), file + ":" + lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return new TextDataset(file.toString(), out);
    }

    /** CSV with a header row naming the {@code text} and {@code label} columns. */
    public static TextDataset csv(Path file) {
        return csv(file, "text", "label");
    }

    public static TextDataset csv(Path file, String textField, String labelField) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<TextExample> out = new ArrayList<TextExample>();
        try (Reader r = open(file);
             MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class).with(schema).readValues(r)) {
            boolean checked = false;
            CsvCursor<Map<String, String>> rows = new CsvCursor<Map<String, String>>(it, file);
            while (rows.advance()) {
                Map<String, String> row = rows.row();
                int lineNo = rows.line();
                if (!checked) {
                    CsvSchema s = (CsvSchema) it.getParserSchema();
                    for (String col : new String[] {textField, labelField}) {
                        if (s.column(col) == null) {
                            throw new InvalidInputException(file + ": line 1 (header) has no column '" + col
                                    + "'; columns: " + s.getColumnNames());
                        }
                    }
                    checked = true;
                }
                String where = file + ": line " + lineNo;
                String text = row.get(textField);
                String label = row.get(labelField);
                if (text == null) {
                    throw new InvalidInputException(where + " has no field '" + textField + "'");
                }
                if (label == null || label.trim().isEmpty()) {
                    throw new InvalidInputException(where + " has no field '" + labelField + "' (empty)");
                }
                out.add(new TextExample(text, label.trim(), file + ":" + lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return new TextDataset(file.toString(), out);
    }

    private static String field(JsonNode v, String name, String where, boolean label) {
        if (v == null || v.isNull()) {
            throw new InvalidInputException(where + " has no field '" + name + "'");
        }
        if (label && (v.isIntegralNumber() || v.isBoolean())) {
            return v.asText();
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(where + ": field '" + name + "' must be a string, not "
                    + v.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String s = v.asText();
        if (label) {
            s = s.trim();
            if (s.isEmpty()) {
                throw new InvalidInputException(where + ": field '" + name + "' is empty");
            }
        }
        return s;
    }

    private static String readLine(BufferedReader r, Path file, int lineNo) throws IOException {
        try {
            return r.readLine();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + ": line " + (lineNo + 1) + " is not valid UTF-8");
        }
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
    }

    /** Opens a file (gunzipping {@code .gz}) as a strict UTF-8 reader. */
    public static Reader open(Path file) throws IOException {
        return new InputStreamReader(openStream(file, "Dataset"), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /**
     * Opens a file's bytes, gunzipped when its name ends in {@code .gz} (see {@link dev.nnsdk.io.DataFiles#open}).
     *
     * @param what how errors name the file ("Dataset", "Input")
     * @throws InvalidInputException when the file does not exist or is not valid gzip
     */
    public static InputStream openStream(Path file, String what) throws IOException {
        return dev.nnsdk.io.DataFiles.open(file, what);
    }
}
