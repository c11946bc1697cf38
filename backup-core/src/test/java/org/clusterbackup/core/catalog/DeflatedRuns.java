package org.clusterbackup.core.catalog;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * The encoding of {@code runs_data} before SQLite's version 9 (PostgreSQL's 7), as that version wrote it: the
 * count, the first id and first start, then the four columns as a frame of reference, all varints, deflated in
 * the zlib format. Tests write it to make a catalog of that version; the program only reads it, in the migration.
 */
final class DeflatedRuns {
    private DeflatedRuns() {}

    static byte[] encode(RangeRuns runs) {
        int n = runs.size();
        Varints out = new Varints();
        out.unsigned(n);
        out.signed(runs.id(0));
        out.signed(runs.startedAt(0));
        long[] idDeltas = new long[n - 1];
        long[] startDeltas = new long[n - 1];
        for (int i = 1; i < n; i++) {
            idDeltas[i - 1] = runs.id(i) - runs.id(i - 1);
            startDeltas[i - 1] = runs.startedAt(i) - runs.startedAt(i - 1);
        }
        long[] durations = new long[n];
        long[] bytes = new long[n];
        for (int i = 0; i < n; i++) {
            durations[i] = runs.finishedAt(i) - runs.startedAt(i);
            bytes[i] = runs.bytes(i);
        }
        out.column(idDeltas);
        out.column(startDeltas);
        out.column(durations);
        out.column(bytes);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(out.toByteArray());
            deflater.finish();
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!deflater.finished()) {
                zipped.write(buf, 0, deflater.deflate(buf));
            }
            return zipped.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
