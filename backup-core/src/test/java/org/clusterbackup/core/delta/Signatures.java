package org.clusterbackup.core.delta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: an in-memory signature, and applying ops to a base to get the content they describe. */
final class Signatures {
    private Signatures() {}

    /** The signature of {@code content}, held in memory, handed out {@code chunk} blocks at a time. */
    static BlockSource of(byte[] content, int chunk) throws IOException {
        List<int[]> weak = new ArrayList<>();
        List<long[]> strong = new ArrayList<>();
        SignatureBuilder builder = new SignatureBuilder(content.length, (w, s) -> {
            weak.add(new int[] {w});
            strong.add(new long[] {s});
        });
        // In odd pieces, so the builder's joining of pieces is exercised too.
        for (int at = 0; at < content.length; at += 777) {
            builder.accept(content, at, Math.min(777, content.length - at));
        }
        builder.finish();
        return new BlockSource() {
            private int next;

            @Override
            public long size() {
                return content.length;
            }

            @Override
            public int blockSize() {
                return BlockSizes.forSize(content.length);
            }

            @Override
            public int read(int[] w, long[] s, int offset, int max) {
                int n = Math.min(Math.min(max, chunk), weak.size() - next);
                for (int i = 0; i < n; i++) {
                    w[offset + i] = weak.get(next)[0];
                    s[offset + i] = strong.get(next)[0];
                    next++;
                }
                return n;
            }
        };
    }

    /** Ops recorded, and the content they rebuild from a base. */
    static final class Rebuilt implements DeltaOps {
        private final byte[] base;
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        long literalBytes;
        int ops;

        Rebuilt(byte[] base) {
            this.base = base;
        }

        @Override
        public void copy(long baseOffset, long length) {
            content.write(base, (int) baseOffset, (int) length);
            ops++;
        }

        @Override
        public void literal(byte[] bytes, int offset, int length) {
            content.write(bytes, offset, length);
            literalBytes += length;
            ops++;
        }
    }

    /** The blocks of a signature, as "weak/strong" strings. */
    static List<String> blocks(BlockSource source) throws IOException {
        List<String> all = new ArrayList<>();
        int[] w = new int[64];
        long[] s = new long[64];
        for (int n = source.read(w, s, 0, 64); n > 0; n = source.read(w, s, 0, 64)) {
            for (int i = 0; i < n; i++) {
                all.add(w[i] + "/" + s[i]);
            }
        }
        return all;
    }

    /**
     * Runs the matcher over {@code next} against {@code base}'s signature, fed in pieces of {@code piece} bytes;
     * the new signature it gives on the way goes to {@code newSignature}.
     */
    static Rebuilt match(byte[] base, byte[] next, int piece, int window, List<String> newSignature)
            throws IOException {
        Rebuilt out = new Rebuilt(base);
        BlockMatcher matcher =
                new BlockMatcher(of(base, 1000), out, (w, s) -> newSignature.add(w + "/" + s), next.length, window);
        for (int at = 0; at < next.length; at += piece) {
            matcher.accept(next, at, Math.min(piece, next.length - at));
        }
        matcher.finish();
        return out;
    }

    /** As {@link #match(byte[], byte[], int, int, List)}, checking the new signature against a fresh one. */
    static Rebuilt match(byte[] base, byte[] next, int piece, int window) throws IOException {
        List<String> given = new ArrayList<>();
        Rebuilt out = match(base, next, piece, window, given);
        List<String> fresh = blocks(of(next, 1000));
        if (!given.equals(fresh)) {
            throw new AssertionError("the matcher's new signature (" + given.size() + " blocks) is not the file's ("
                    + fresh.size() + " blocks)");
        }
        return out;
    }
}
