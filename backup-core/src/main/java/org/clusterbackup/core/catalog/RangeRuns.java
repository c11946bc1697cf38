package org.clusterbackup.core.catalog;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What differs from run to run in an execution range — id, start, end, bytes received — and how its
 * {@code runs_data} column holds them. Everything else the runs of a range share (target, trigger, archive,
 * files, warnings) is a column of the range row.
 *
 * <p>The encoding, before it is deflated (zlib format, so a damaged value fails its Adler-32 rather than
 * decoding to wrong runs): the count; the first id and first start; then four columns, each a
 * <em>frame of reference</em> — its minimum, then every value minus that minimum — of the id deltas, the
 * start deltas, the durations (end − start) and the bytes received. All numbers are varints, signed ones
 * zigzag-encoded. A target run every minute makes start deltas of the period plus a few milliseconds of
 * lateness, id deltas near the number of runs of all targets per period, steady durations and mostly equal
 * byte counts, so after the minimum is taken the columns are small, repetitive numbers that deflate to
 * about one or two bytes per run (see docs/STORAGE.md). Values keep full range: a clock stepping back
 * gives a negative delta, which the zigzag minimum absorbs.
 */
final class RangeRuns {
    private final long[] ids;
    private final long[] startedAt;
    private final long[] finishedAt;
    private final long[] bytes;

    RangeRuns(long[] ids, long[] startedAt, long[] finishedAt, long[] bytes) {
        int n = ids.length;
        if (n == 0 || startedAt.length != n || finishedAt.length != n || bytes.length != n) {
            throw new IllegalArgumentException("a range holds at least one run, each with every value");
        }
        for (int i = 1; i < n; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("run ids of a range must increase: " + ids[i - 1] + ", " + ids[i]);
            }
        }
        this.ids = ids.clone();
        this.startedAt = startedAt.clone();
        this.finishedAt = finishedAt.clone();
        this.bytes = bytes.clone();
    }

    int size() {
        return ids.length;
    }

    long id(int i) {
        return ids[i];
    }

    long startedAt(int i) {
        return startedAt[i];
    }

    long finishedAt(int i) {
        return finishedAt[i];
    }

    long bytes(int i) {
        return bytes[i];
    }

    long firstId() {
        return ids[0];
    }

    long lastId() {
        return ids[ids.length - 1];
    }

    long minStartedAt() {
        return Arrays.stream(startedAt).min().orElseThrow();
    }

    long maxStartedAt() {
        return Arrays.stream(startedAt).max().orElseThrow();
    }

    long maxFinishedAt() {
        return Arrays.stream(finishedAt).max().orElseThrow();
    }

    /** These runs and one more after them. */
    RangeRuns plus(long id, long started, long finished, long received) {
        int n = ids.length;
        long[] i2 = Arrays.copyOf(ids, n + 1);
        long[] s2 = Arrays.copyOf(startedAt, n + 1);
        long[] f2 = Arrays.copyOf(finishedAt, n + 1);
        long[] b2 = Arrays.copyOf(bytes, n + 1);
        i2[n] = id;
        s2[n] = started;
        f2[n] = finished;
        b2[n] = received;
        return new RangeRuns(i2, s2, f2, b2);
    }

    static RangeRuns one(long id, long started, long finished, long received) {
        return new RangeRuns(new long[] {id}, new long[] {started}, new long[] {finished}, new long[] {received});
    }

    byte[] encode() {
        int n = ids.length;
        Varints out = new Varints();
        out.unsigned(n);
        out.signed(ids[0]);
        out.signed(startedAt[0]);
        long[] idDeltas = new long[n - 1];
        long[] startDeltas = new long[n - 1];
        for (int i = 1; i < n; i++) {
            idDeltas[i - 1] = ids[i] - ids[i - 1];
            startDeltas[i - 1] = startedAt[i] - startedAt[i - 1];
        }
        long[] durations = new long[n];
        for (int i = 0; i < n; i++) {
            durations[i] = finishedAt[i] - startedAt[i];
        }
        out.column(idDeltas);
        out.column(startDeltas);
        out.column(durations);
        out.column(bytes);
        return deflate(out.toByteArray());
    }

    /** @throws CatalogException the bytes are not a range's runs */
    static RangeRuns decode(byte[] data) {
        Varints.Reader in = new Varints.Reader(inflate(data));
        long count = in.unsigned();
        if (count < 1 || count > Integer.MAX_VALUE - 8) {
            throw new CatalogException("a range's runs are damaged: count " + count);
        }
        int n = (int) count;
        long[] ids = new long[n];
        long[] starts = new long[n];
        ids[0] = in.signed();
        starts[0] = in.signed();
        long[] idDeltas = in.column(n - 1);
        long[] startDeltas = in.column(n - 1);
        long[] durations = in.column(n);
        long[] received = in.column(n);
        in.end();
        long[] finishes = new long[n];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                ids[i] = ids[i - 1] + idDeltas[i - 1];
                starts[i] = starts[i - 1] + startDeltas[i - 1];
            }
            finishes[i] = starts[i] + durations[i];
        }
        try {
            return new RangeRuns(ids, starts, finishes, received);
        } catch (IllegalArgumentException e) {
            throw new CatalogException("a range's runs are damaged: " + e.getMessage(), e);
        }
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 16);
            byte[] buf = new byte[4096];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CatalogException("a range's runs are damaged: the data ends early");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CatalogException("a range's runs are damaged: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
