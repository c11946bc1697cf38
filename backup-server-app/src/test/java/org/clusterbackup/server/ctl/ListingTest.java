package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.clusterbackup.core.protocol.Json;
import org.junit.jupiter.api.Test;

class ListingTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    private static Map<String, Object> json(Integer i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i);
        m.put("name", "item " + i);
        m.put("missing", null);
        return m;
    }

    private Listing<Integer> listing(boolean asJson) {
        return new Listing<>(
                out,
                asJson ? Listing.JsonWriter.ofMap(ListingTest::json) : null,
                i -> new Object[] {i, "x".repeat(i % 7)},
                new String[] {"ID", "NAME"},
                "nothing",
                null);
    }

    @Test
    void aStreamedJsonArrayIsTheTextOfTheWholeArray() throws Exception {
        List<Integer> items = IntStream.range(0, 1200).boxed().toList();
        Listing<Integer> l = listing(true);
        for (Integer i : items) {
            l.add(i);
        }
        l.finish();
        StringWriter whole = new StringWriter();
        Output.printJson(
                new PrintWriter(whole, true),
                items.stream().map(ListingTest::json).toList());
        assertEquals(whole.toString(), text.toString());
    }

    @Test
    void anEmptyJsonListingIsAnEmptyArray() throws Exception {
        listing(true).finish();
        assertEquals(0, Json.mapper().readTree(text.toString()).size());
        assertTrue(Json.mapper().readTree(text.toString()).isArray());
    }

    @Test
    void jsonItemsLeaveTheClientAsTheyArriveNotAtTheEnd() throws Exception {
        Listing<Integer> l = listing(true);
        for (int i = 0; i < 5000; i++) {
            l.add(i);
        }
        // the generator's buffer holds at most a few thousand characters: the rest must be out already
        assertTrue(text.toString().contains("\"name\" : \"item 4900\""), "written before the listing ends");
        assertFalse(text.toString().strip().endsWith("]"), "not closed before finish");
    }

    @Test
    void aStreamedTableTakesItsWidthsFromTheFirstWindowAndPrintsLaterRowsAtOnce() throws Exception {
        Listing<Integer> l = listing(false);
        for (int i = 0; i <= Listing.WINDOW; i++) {
            l.add(i);
        }
        String first = text.toString();
        assertTrue(first.startsWith("ID   NAME\n"), first);
        assertEquals(Listing.WINDOW + 2, first.lines().count(), "the header and every row so far are printed");
        l.add(123_456_789);
        l.finish();
        String last = text.toString().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("123456789  x", last, "a wider cell is printed whole, pushing the row right");
    }

    @Test
    void aShortTableIsPaddedToItsWidestCellAndAnEmptyOneSaysSo() throws Exception {
        Listing<Integer> l = listing(false);
        l.add(6);
        l.add(10);
        l.finish();
        assertEquals(
                List.of("ID  NAME", "6   xxxxxx", "10  xxx"),
                text.toString().lines().toList());
        StringWriter none = new StringWriter();
        Listing<Integer> empty =
                new Listing<>(new PrintWriter(none), null, i -> new Object[] {i}, new String[] {"ID"}, "nothing", null);
        empty.finish();
        assertEquals("nothing", none.toString().strip());
    }
}
