package dev.nnsdk.training.data;

import com.fasterxml.jackson.databind.MappingIterator;
import dev.nnsdk.InvalidInputException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;

/**
 * Walks the records of a Jackson CSV {@link MappingIterator}, remembering the line each record starts on and
 * turning read errors into {@link InvalidInputException}s that name the file and line.
 *
 * <pre>{@code
 * CsvCursor<List<String>> rows = new CsvCursor<>(iterator, file);
 * while (rows.advance()) { use(rows.row(), rows.line()); }
 * }</pre>
 */
public final class CsvCursor<T> {
    private final MappingIterator<T> it;
    private final Path file;
    private T row;
    private int line;

    public CsvCursor(MappingIterator<T> it, Path file) {
        this.it = it;
        this.file = file;
    }

    /** Moves to the next record; false at the end. */
    public boolean advance() {
        try {
            if (!it.hasNextValue()) {
                return false;
            }
            line = it.getCurrentLocation().getLineNr();
            row = it.nextValue();
            return true;
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + ": not valid UTF-8 near line " + it.getCurrentLocation().getLineNr());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": line " + it.getCurrentLocation().getLineNr() + ": " + e.getMessage());
        }
    }

    /** The current record. */
    public T row() {
        return row;
    }

    /** The line the current record starts on (1-based). */
    public int line() {
        return line;
    }

    /** Drops a UTF-8 byte-order mark left at the start of the first header name. */
    public static void stripBom(List<String> header) {
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
    }
}
