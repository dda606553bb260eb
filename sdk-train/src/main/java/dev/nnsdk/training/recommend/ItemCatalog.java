package dev.nnsdk.training.recommend;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.data.CsvCursor;
import dev.nnsdk.training.data.Datasets;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Item content read from a CSV file ({@code .csv} or {@code .csv.gz}, RFC 4180 quoting, strict
 * UTF-8): an id column ({@code itemId}, {@code item_id}, {@code item}, {@code id} or
 * {@code movieId}) and text columns. The item text is built as
 * {@code "<first field>. <Field>: <value>. ..."}; a {@code genres}-like value with {@code |}
 * separators becomes a comma-separated list, so a MovieLens row gives
 * {@code "Toy Story (1995). Genres: Adventure, Animation, Children"}. Empty fields are left out;
 * an item whose fields are all empty gets an empty text (counted in {@link #emptyTexts()}; its
 * content vector then carries no information). A repeated id is an error naming both lines.
 *
 * <pre>{@code
 * ItemCatalog movies = ItemCatalog.csv(Path.of("movies.csv.gz"), "title", "genres");
 * }</pre>
 */
public final class ItemCatalog {
    private static final String[] ID_COLS = {"itemId", "item_id", "item", "id", "movieId", "movie_id", "itemid", "movieid"};

    private final String name;
    private final Map<String, String> texts;
    private final int emptyTexts;

    private ItemCatalog(String name, Map<String, String> texts, int emptyTexts) {
        this.name = name;
        this.texts = texts;
        this.emptyTexts = emptyTexts;
    }

    /** Builds a catalogue in memory (tests, programs). */
    public static ItemCatalog of(Map<String, String> texts) {
        int empty = 0;
        for (String t : texts.values()) {
            if (t == null || t.trim().isEmpty()) {
                empty++;
            }
        }
        return new ItemCatalog("memory", new LinkedHashMap<String, String>(texts), empty);
    }

    /** Reads the id column and the given text fields (all non-id columns when none are given). */
    public static ItemCatalog csv(Path file, String... textFields) {
        CsvMapper mapper = new CsvMapper();
        Map<String, String> texts = new LinkedHashMap<String, String>();
        Map<String, Integer> lineOf = new LinkedHashMap<String, Integer>();
        int empty = 0;
        try (Reader r = Datasets.open(file);
             MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                     .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(r)) {
            List<String> header = null;
            int idCol = -1;
            int[] cols = null;
            CsvCursor<List<String>> rows = new CsvCursor<List<String>>(it, file);
            while (rows.advance()) {
                List<String> row = rows.row();
                int lineNo = rows.line();
                if (header == null) {
                    header = new ArrayList<String>(row);
                    CsvCursor.stripBom(header);
                    for (String c : ID_COLS) {
                        idCol = indexOf(header, c);
                        if (idCol >= 0) {
                            break;
                        }
                    }
                    if (idCol < 0) {
                        throw new InvalidInputException(file + ": line 1 (header) has no item id column (itemId or movieId); "
                                + "columns: " + header);
                    }
                    List<Integer> cs = new ArrayList<Integer>();
                    if (textFields == null || textFields.length == 0) {
                        for (int i = 0; i < header.size(); i++) {
                            if (i != idCol) {
                                cs.add(i);
                            }
                        }
                    } else {
                        for (String f : textFields) {
                            int c = indexOf(header, f);
                            if (c < 0) {
                                throw new InvalidInputException(file + ": line 1 (header) has no column '" + f + "'; columns: "
                                        + header);
                            }
                            cs.add(c);
                        }
                    }
                    cols = new int[cs.size()];
                    for (int i = 0; i < cols.length; i++) {
                        cols[i] = cs.get(i);
                    }
                    continue;
                }
                if (row.size() == 1 && row.get(0).trim().isEmpty()) {
                    continue;
                }
                String where = file + ": line " + lineNo;
                if (row.size() != header.size()) {
                    throw new InvalidInputException(where + " has " + row.size() + " fields, the header has " + header.size());
                }
                String id = row.get(idCol).trim();
                if (id.isEmpty()) {
                    throw new InvalidInputException(where + ": field '" + header.get(idCol) + "' is empty");
                }
                Integer prev = lineOf.get(id);
                if (prev != null) {
                    throw new InvalidInputException(where + ": item '" + id + "' is repeated (first on line " + prev + ")");
                }
                lineOf.put(id, lineNo);
                String[] names = new String[cols.length];
                String[] values = new String[cols.length];
                for (int i = 0; i < cols.length; i++) {
                    names[i] = header.get(cols[i]);
                    values[i] = row.get(cols[i]);
                }
                String text = text(names, values);
                if (text.isEmpty()) {
                    empty++;
                }
                texts.put(id, text);
            }
            if (header == null) {
                throw new InvalidInputException(file + " is empty (no header row)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return new ItemCatalog(file.toString(), texts, empty);
    }

    /** "v1. Name2: v2. Name3: v3" with {@code |}-lists as comma lists and "(no genres listed)" left out. */
    static String text(String[] names, String[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            String v = values[i] == null ? "" : values[i].trim();
            if (v.contains("|")) {
                v = String.join(", ", Arrays.asList(v.split("\\s*\\|\\s*")));
            }
            if (v.isEmpty() || v.equalsIgnoreCase("(no genres listed)")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(sb.charAt(sb.length() - 1) == '.' ? " " : ". ");
            }
            if (i > 0) {
                String n = names[i].trim();
                sb.append(n.isEmpty() ? "" : Character.toUpperCase(n.charAt(0)) + n.substring(1) + ": ");
            }
            sb.append(v);
        }
        return sb.toString();
    }

    private static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public String name() {
        return name;
    }

    /** Item id to text, in file order. */
    public Map<String, String> texts() {
        return java.util.Collections.unmodifiableMap(texts);
    }

    /** Items whose text is empty. */
    public int emptyTexts() {
        return emptyTexts;
    }

    public int size() {
        return texts.size();
    }
}
