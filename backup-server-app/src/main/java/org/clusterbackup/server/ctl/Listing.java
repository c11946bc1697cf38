package org.clusterbackup.server.ctl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.clusterbackup.core.protocol.Json;

/**
 * Prints a listing as its pages arrive, holding at most one table window: with {@code --json} one JSON array
 * written item by item (the same text as the whole array at once), else a {@link Table#streaming streaming
 * table} whose column widths come from the first {@link #WINDOW} rows. {@link #finish} ends it; a listing
 * that broke off is left unfinished (no closing bracket), so a script never takes a part for the whole.
 */
final class Listing<T> {
    /** Rows that fix a streamed table's column widths: one page of the server's answer. */
    static final int WINDOW = 500;

    private static final ObjectWriter PRETTY =
            Json.mapper().writerWithDefaultPrettyPrinter().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    /** Writes one item as a JSON value into a generator. */
    @FunctionalInterface
    interface JsonWriter<T> {
        void write(JsonGenerator g, T item) throws IOException;

        /** An item as the JSON of the map {@code json} makes of it. */
        static <T> JsonWriter<T> ofMap(Function<T, Map<String, Object>> json) {
            return (g, item) -> PRETTY.writeValue(g, json.apply(item));
        }
    }

    private final PrintWriter out;
    private final JsonWriter<T> json;
    private final Function<T, Object[]> cells;
    private final String[] headers;
    private final String empty;
    private final Function<T, String> notice;
    private final Set<String> notices = new LinkedHashSet<>();
    private JsonGenerator generator;
    private Table table;
    private long count;

    /**
     * @param json writes the item as its JSON object, or null to print a table
     * @param empty the line a table prints for no items
     * @param notice a line to print once after the table for an item that needs the operator's attention,
     *        or null for none
     */
    Listing(
            PrintWriter out,
            JsonWriter<T> json,
            Function<T, Object[]> cells,
            String[] headers,
            String empty,
            Function<T, String> notice) {
        this.out = out;
        this.json = json;
        this.cells = cells;
        this.headers = headers.clone();
        this.empty = empty;
        this.notice = notice;
    }

    void add(T item) throws IOException {
        count++;
        if (json != null) {
            if (generator == null) {
                generator = start();
            }
            json.write(generator, item);
            return;
        }
        if (table == null) {
            table = Table.streaming(out, WINDOW, headers);
        }
        table.row(cells.apply(item));
        String line = notice == null ? null : notice.apply(item);
        if (line != null) {
            notices.add(line);
        }
    }

    private JsonGenerator start() throws IOException {
        JsonGenerator g = generator(out);
        g.writeStartArray();
        return g;
    }

    /** A generator that pretty-prints to {@code out} as {@link Output#printJson} does, leaving it open. */
    static JsonGenerator generator(PrintWriter out) throws IOException {
        JsonGenerator g = PRETTY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /** Ends the listing: the array's closing bracket, or the rest of the table and its notices. */
    void finish() throws IOException {
        if (json != null) {
            if (generator == null) {
                generator = start();
            }
            generator.writeEndArray();
            generator.flush();
            out.println();
        } else if (count == 0) {
            out.println(empty);
        } else {
            table.print(out);
            notices.forEach(out::println);
        }
        out.flush();
    }
}
