package org.clusterbackup.server.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table with a header row and columns padded to their widest cell.
 *
 * <p>A streaming table ({@link #streaming}) holds only its first {@code window} rows: their widest cells
 * (and the headers) fix the column widths, then those rows and every later one are printed as they come,
 * so a listing of any length costs the memory of one window. A later cell wider than its column is printed
 * whole and pushes the rest of its row right; no cell is ever cut.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final PrintWriter streamTo;
    private final int window;
    private int[] width;
    private final StringBuilder line = new StringBuilder();
    private char[] chars = new char[256];

    Table(String... headers) {
        this(null, Integer.MAX_VALUE, headers);
    }

    private Table(PrintWriter streamTo, int window, String... headers) {
        this.columns = headers.length;
        this.streamTo = streamTo;
        this.window = window;
        rows.add(headers);
    }

    /** A table that prints to {@code out} as rows come, with widths from the first {@code window} rows. */
    static Table streaming(PrintWriter out, int window, String... headers) {
        return new Table(out, window, headers);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(
                    "row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        if (width != null) {
            printRow(streamTo, r);
            return this;
        }
        rows.add(r);
        if (streamTo != null && rows.size() > window) {
            print(streamTo);
        }
        return this;
    }

    /** Prints the rows held so far (all of a plain table; the first window of a streaming one, or all if fewer). */
    void print(PrintWriter out) {
        if (width != null) {
            return; // a streaming table past its window: every row is out already
        }
        width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            printRow(out, r);
        }
        rows.clear();
    }

    /** One line, built and written through buffers kept for the next: a long listing makes no garbage here. */
    private void printRow(PrintWriter out, String[] r) {
        line.setLength(0);
        for (int i = 0; i < columns; i++) {
            line.append(r[i]);
            if (i < columns - 1) {
                for (int pad = Math.max(0, width[i] - r[i].length()) + 2; pad > 0; pad--) {
                    line.append(' ');
                }
            }
        }
        if (chars.length < line.length()) {
            chars = new char[line.length() * 2];
        }
        line.getChars(0, line.length(), chars, 0);
        out.write(chars, 0, line.length());
        out.println();
    }
}
