package dev.nnsdk.training.recommend;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.data.CsvCursor;
import dev.nnsdk.training.data.Datasets;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-item interactions read from a CSV file ({@code .csv} or {@code .csv.gz}, RFC 4180, strict
 * UTF-8) with a header row: a user column ({@code userId}, {@code user_id} or {@code user}), an
 * item column ({@code itemId}, {@code item_id}, {@code item} or MovieLens' {@code movieId}), and
 * optionally {@code rating} and {@code timestamp}.
 *
 * <p>Input handling (each documented in {@code docs/recommendation.md}):
 * <ul>
 *   <li>a non-numeric rating or timestamp, or an empty user/item id, is an error naming the file,
 *       line and field;</li>
 *   <li>with {@link #csv(Path, double) minRating}, rows rated below it are dropped (implicit feedback: a kept row is a
 *       positive interaction); rows without a rating are always kept;</li>
 *   <li>duplicate (user, item) rows are merged into one interaction: the row with the latest
 *       timestamp (then the later row) wins; {@link #duplicates()} counts the merged rows.</li>
 * </ul>
 * Rows are kept in file order; {@link #row(int)} gives each row's line for messages.
 *
 * <pre>{@code
 * Interactions data = Interactions.csv(Path.of("ratings.csv.gz"), 0);   // every rating is a positive
 * Interactions liked = Interactions.csv(Path.of("ratings.csv.gz"), 4.0); // ratings >= 4 only
 * }</pre>
 */
public final class Interactions {
    private static final String[] USER_COLS = {"userId", "user_id", "user", "userid"};
    private static final String[] ITEM_COLS = {"itemId", "item_id", "item", "movieId", "movie_id", "itemid", "movieid"};

    private final String name;
    private final List<String> users;
    private final List<String> items;
    private final List<Double> ratings;
    private final List<Long> timestamps;
    private final List<Integer> lines;
    private final int duplicates;
    private final int belowThreshold;
    private final String sha256;

    private Interactions(String name, List<String> users, List<String> items, List<Double> ratings, List<Long> timestamps,
                         List<Integer> lines, int duplicates, int belowThreshold, String sha256) {
        this.name = name;
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.lines = lines;
        this.duplicates = duplicates;
        this.belowThreshold = belowThreshold;
        this.sha256 = sha256;
    }

    /** Every row is a positive interaction (no rating threshold). */
    public static Interactions csv(Path file) {
        return csv(file, Double.NEGATIVE_INFINITY);
    }

    /** Rows whose rating is below {@code minRating} are dropped (rows without a rating are kept). */
    public static Interactions csv(Path file, double minRating) {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<String> us = new ArrayList<String>();
        List<String> is = new ArrayList<String>();
        List<Double> rs = new ArrayList<Double>();
        List<Long> ts = new ArrayList<Long>();
        List<Integer> ls = new ArrayList<Integer>();
        Map<String, Integer> seen = new LinkedHashMap<String, Integer>();
        int dup = 0;
        int below = 0;
        MessageDigest md = dev.nnsdk.io.Checksums.newDigest();
        try (Reader r = Datasets.open(file);
             MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                     .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readValues(r)) {
            int userCol = -1;
            int itemCol = -1;
            int ratingCol = -1;
            int timeCol = -1;
            List<String> header = null;
            CsvCursor<List<String>> rows = new CsvCursor<List<String>>(it, file);
            while (rows.advance()) {
                List<String> row = rows.row();
                int lineNo = rows.line();
                if (header == null) {
                    header = new ArrayList<String>(row);
                    CsvCursor.stripBom(header);
                    userCol = find(header, USER_COLS);
                    itemCol = find(header, ITEM_COLS);
                    ratingCol = find(header, new String[] {"rating", "score"});
                    timeCol = find(header, new String[] {"timestamp", "time", "ts"});
                    if (userCol < 0 || itemCol < 0) {
                        throw new InvalidInputException(file + ": line 1 (header) needs a user column (userId) and an item "
                                + "column (itemId or movieId); columns: " + header);
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
                String user = row.get(userCol).trim();
                String item = row.get(itemCol).trim();
                if (user.isEmpty()) {
                    throw new InvalidInputException(where + ": field '" + header.get(userCol) + "' is empty");
                }
                if (item.isEmpty()) {
                    throw new InvalidInputException(where + ": field '" + header.get(itemCol) + "' is empty");
                }
                double rating = Double.NaN;
                if (ratingCol >= 0 && !row.get(ratingCol).trim().isEmpty()) {
                    rating = number(row.get(ratingCol), where, header.get(ratingCol));
                }
                long time = 0;
                if (timeCol >= 0 && !row.get(timeCol).trim().isEmpty()) {
                    double t = number(row.get(timeCol), where, header.get(timeCol));
                    time = (long) t;
                }
                md.update((user + '\u0000' + item + '\u0000' + rating + '\u0000' + time + '\n')
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (!Double.isNaN(rating) && rating < minRating) {
                    below++;
                    continue;
                }
                String key = user + '\u0000' + item;
                Integer prev = seen.get(key);
                if (prev != null) {
                    dup++;
                    if (time >= ts.get(prev)) {
                        rs.set(prev, rating);
                        ts.set(prev, time);
                        ls.set(prev, lineNo);
                    }
                    continue;
                }
                seen.put(key, us.size());
                us.add(user);
                is.add(item);
                rs.add(rating);
                ts.add(time);
                ls.add(lineNo);
            }
            if (header == null) {
                throw new InvalidInputException(file + " is empty (no header row)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (us.isEmpty()) {
            throw new InvalidInputException(file + " has no interactions" + (below > 0 ? " (all " + below
                    + " rows are rated below the threshold " + minRating + ")" : ""));
        }
        return new Interactions(file.toString(), us, is, rs, ts, ls, dup, below,
                dev.nnsdk.io.Checksums.hex(md.digest()));
    }

    private static int find(List<String> header, String[] names) {
        for (String n : names) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equalsIgnoreCase(n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static double number(String s, String where, String field) {
        try {
            double v = Double.parseDouble(s.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": field '" + field + "' is not a number: '" + s + "'");
        }
    }

    /** The file name. */
    public String name() {
        return name;
    }

    /** Interactions kept (after merging duplicates and the rating threshold). */
    public int size() {
        return users.size();
    }

    public String user(int row) {
        return users.get(row);
    }

    public String item(int row) {
        return items.get(row);
    }

    /** The rating, or NaN when the file has none. */
    public double rating(int row) {
        return ratings.get(row);
    }

    /** The timestamp (0 when the file has none). */
    public long timestamp(int row) {
        return timestamps.get(row);
    }

    /** The 1-based file line of the row. */
    public int row(int row) {
        return lines.get(row);
    }

    /** Rows merged into an earlier row of the same (user, item). */
    public int duplicates() {
        return duplicates;
    }

    /** Rows dropped for a rating below the threshold. */
    public int belowThreshold() {
        return belowThreshold;
    }

    /** SHA-256 over the parsed rows (for provenance and checkpoint fingerprints). */
    public String sha256() {
        return sha256;
    }

    /** Distinct user ids in first-seen order. */
    public List<String> distinctUsers() {
        return Collections.unmodifiableList(new ArrayList<String>(new java.util.LinkedHashSet<String>(users)));
    }
}
