package org.clusterbackup.core.catalog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What differs from run to run in an execution range — id, start, end, bytes received — and how its
 * {@code runs_data} column holds them. Everything else the runs of a range share (target, trigger, archive,
 * files, warnings) is a column of the range row.
 *
 * <p>The encoding (since SQLite's version 9, PostgreSQL's 7; {@link #encode}): four columns, each a
 * <em>frame of reference</em> — its minimum, then every value minus that minimum — of the id deltas, the start
 * deltas, the durations (end − start) and the bytes received, the offsets Rice-coded with each column's best
 * parameter ({@link RiceBits}), and a CRC-32C so that a damaged value is an error rather than wrong runs. A
 * target run every minute makes start deltas of the period plus a few milliseconds of lateness, id deltas near
 * the number of runs of all targets per period, steady durations and mostly equal byte counts, so after the
 * minimum is taken each column is small numbers spread about geometrically, for which a Rice code is close to
 * the shortest: about 1.45 bytes a run at 10,000 targets, where the deflated varints before took 1.84 (see
 * docs/STORAGE.md).
 * Values keep full range: a clock stepping back gives a negative delta, which the zigzag minimum absorbs, and
 * an outlier is escaped rather than written in unary.
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

    /**
     * The runs as {@code runs_data}: {@link #FORMAT}, the bit stream ({@link RiceBits}: the first start's
     * offset from the earliest start, then the columns of id deltas, start deltas, durations and bytes), then a
     * CRC-32C over the row's first id, count and earliest start and the bit stream, big-endian. The first id,
     * count and earliest start are columns of the row and not repeated here.
     */
    byte[] encode() {
        int n = ids.length;
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
        RiceBits.Writer out = new RiceBits.Writer();
        out.signed(startedAt[0] - minStartedAt());
        out.column(idDeltas);
        out.column(startDeltas);
        out.column(durations);
        out.column(bytes);
        byte[] stream = out.toByteArray();
        byte[] data = new byte[1 + stream.length + 4];
        data[0] = FORMAT;
        System.arraycopy(stream, 0, data, 1, stream.length);
        int crc = check(firstId(), n, minStartedAt(), data, stream.length + 1);
        for (int i = 0; i < 4; i++) {
            data[data.length - 4 + i] = (byte) (crc >>> (24 - 8 * i));
        }
        return data;
    }

    /** The first byte of {@code runs_data} since SQLite's version 9 (PostgreSQL's 7); never a zlib stream's. */
    static final byte FORMAT = 1;

    private static int check(long firstId, int count, long minStartedAt, byte[] data, int end) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(20)
                .putLong(firstId)
                .putInt(count)
                .putLong(minStartedAt)
                .array());
        crc.update(data, 0, end);
        return (int) crc.getValue();
    }

    /**
     * The runs of a row whose first id, count ({@code runs}) and earliest start are these.
     *
     * @throws CatalogException the bytes are not that row's runs
     */
    static RangeRuns decode(byte[] data, long firstId, int count, long minStartedAt) {
        if (data.length == 0 || data[0] != FORMAT) {
            return decodeDeflated(data); // written before version 9: read only by that migration
        }
        if (data.length < 5 || count < 1) {
            throw new CatalogException("a range's runs are damaged: " + data.length + " bytes for " + count + " runs");
        }
        int end = data.length - 4;
        int stored = ByteBuffer.wrap(data, end, 4).getInt();
        if (stored != check(firstId, count, minStartedAt, data, end)) {
            throw new CatalogException("a range's runs are damaged: the check does not match");
        }
        RiceBits.Reader in = new RiceBits.Reader(data, 1, end);
        long firstStart = minStartedAt + in.signed();
        long[] idDeltas = in.column(count - 1);
        long[] startDeltas = in.column(count - 1);
        long[] durations = in.column(count);
        long[] received = in.column(count);
        in.end();
        return rebuild(firstId, firstStart, idDeltas, startDeltas, durations, received);
    }

    private static RangeRuns rebuild(
            long firstId, long firstStart, long[] idDeltas, long[] startDeltas, long[] durations, long[] received) {
        int n = durations.length;
        long[] ids = new long[n];
        long[] starts = new long[n];
        long[] finishes = new long[n];
        ids[0] = firstId;
        starts[0] = firstStart;
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

    /**
     * The encoding before version 9, zlib-deflated: the count; the first id and first start; then the four
     * columns, each its minimum and every value minus it, all as varints ({@link Varints}).
     */
    static RangeRuns decodeDeflated(byte[] data) {
        Varints.Reader in = new Varints.Reader(inflate(data));
        long count = in.unsigned();
        if (count < 1 || count > Integer.MAX_VALUE - 8) {
            throw new CatalogException("a range's runs are damaged: count " + count);
        }
        int n = (int) count;
        long firstId = in.signed();
        long firstStart = in.signed();
        long[] idDeltas = in.column(n - 1);
        long[] startDeltas = in.column(n - 1);
        long[] durations = in.column(n);
        long[] received = in.column(n);
        in.end();
        return rebuild(firstId, firstStart, idDeltas, startDeltas, durations, received);
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
