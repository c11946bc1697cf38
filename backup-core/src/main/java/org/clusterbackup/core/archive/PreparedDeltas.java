package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.delta.BlockMatcher;
import org.clusterbackup.core.delta.BlockSink;
import org.clusterbackup.core.delta.BlockSizes;
import org.clusterbackup.core.delta.BlockSource;

/**
 * Block deltas worked out by the scan of a block-delta run, so that a big file rewritten in place is read once
 * per run, not twice. Such a file keeps its size, so the scan must hash it: the tree digest leaves mtimes out
 * (a touch is no change), and only the content's hash tells a touch from a rewrite. The scan therefore reads
 * it once for both: it hashes it and, in the same pass, matches it against its base version's kept signature
 * as the write would, keeping the ops, the new signature and the hash here. The write then sends those,
 * without reading the file again, if the file's stat is still the one the scan read it at (the hot-file
 * protocol's test); otherwise it reads the file as always. A touch-only change hashes as the base version:
 * nothing is kept, and the run is Unchanged as before.
 *
 * <p>Only files over {@link FileCopier#BUFFERED_LIMIT} are prepared (smaller ones cost little to read twice),
 * none with holes (those go whole, as sparse entries), and memory is bounded: all the prepared deltas of a run
 * together hold at most {@link #BUDGET} bytes of ops and signatures; a file that would need more is only
 * hashed by the scan, and read again by the write, as without this.
 *
 * <p>The kept signatures are loaded on the first file that may use them. Not thread-safe: one per run.
 */
public final class PreparedDeltas implements AutoCloseable {
    /** Bytes of ops and new signatures all prepared deltas of a run may hold. */
    static final long BUDGET = 24L << 20;

    private final Path stateDir;
    private final Path root;
    private SignatureStore kept;
    private final Map<String, Prepared> byName = new HashMap<>();
    private long used;

    /** For the run backing up {@code root}, whose kept signatures are in {@code stateDir}. */
    public PreparedDeltas(Path stateDir, Path root) {
        this.stateDir = stateDir;
        this.root = root;
    }

    /** Files prepared so far. */
    public int files() {
        return byName.size();
    }

    /**
     * The delta of one file as the scan read it.
     *
     * @param stat the file's stat, unmoved while it was read
     * @param sha256 the hash of its content
     * @param ops the content as copies of the base version and literal bytes, in the matcher's order
     * @param weak the new signature's weak sums, block by block
     * @param strong its strong hashes
     */
    record Prepared(FileStat stat, byte[] sha256, BufferedOps ops, int[] weak, long[] strong) {
        /** Gives {@code sink} the new signature, as the matcher gave it. */
        void signature(BlockSink sink) throws IOException {
            for (int i = 0; i < weak.length; i++) {
                sink.block(weak[i], strong[i]);
            }
        }
    }

    /** True if the scan should read file {@code stat} through {@link #read}: it may be sent from a prepared delta. */
    boolean candidate(ManifestEntry before, FileStat stat) {
        return before != null
                && before.type() == EntryType.FILE
                && before.size() == stat.size()
                && stat.size() > FileCopier.BUFFERED_LIMIT
                && used < BUDGET;
    }

    /**
     * Reads the file once, as {@link ExactReader#stream} hashes it, and matches it against the kept signature
     * of {@code before} on the way.
     *
     * @return the read's result, and the delta to {@link #keep} if it could be worked out (else null)
     */
    Reading read(ExactReader reader, SeekableByteChannel channel, FileStat stat, ManifestEntry before)
            throws IOException {
        long size = stat.size();
        Optional<BlockSource> base = kept().find(before);
        long blocks = BlockSizes.blockCount(size);
        long signatureBytes = blocks * BlockSizes.BYTES_PER_BLOCK;
        if (base.isEmpty() || used + signatureBytes >= BUDGET) {
            return new Reading(reader.stream(channel, size, null, null), null);
        }
        Matching m = new Matching(base.get(), size, (int) blocks, BUDGET - used - signatureBytes);
        ExactReader.Result read = reader.stream(channel, size, m::accept, null);
        return new Reading(read, read.error() == null ? m.finish(stat, read.sha256()) : null);
    }

    /** What {@link #read} gave: the read, and the delta (null if none). */
    record Reading(ExactReader.Result result, Prepared prepared) {}

    /** Keeps {@code prepared} for the write, the scan having found its file unmoved by the read. */
    void keep(String name, Prepared prepared) {
        Prepared old = byName.put(name, prepared);
        if (old != null) {
            used -= cost(old);
        }
        used += cost(prepared);
    }

    /** The delta of {@code name} if it was prepared at exactly {@code now}, the file's stat at the write; else null. */
    Prepared take(String name, FileStat now) {
        Prepared p = byName.remove(name);
        if (p == null) {
            return null;
        }
        used -= cost(p);
        return now.unchangedSince(p.stat()) && p.stat().unchangedSince(now) ? p : null;
    }

    private static long cost(Prepared p) {
        return p.ops().encodedLength() + (long) p.weak().length * BlockSizes.BYTES_PER_BLOCK;
    }

    private SignatureStore kept() {
        if (kept == null) {
            kept = SignatureStore.open(stateDir, root);
        }
        return kept;
    }

    @Override
    public void close() {
        byName.clear();
        if (kept != null) {
            kept.close();
        }
    }

    /**
     * One file being matched as it is read. It gives up (the read goes on, for the hash) once its ops outgrow
     * what the budget leaves, or if the kept signature turns out damaged; and its result is not used for a file
     * with holes, which goes whole as a sparse entry.
     */
    private static final class Matching {
        private final BufferedOps ops = new BufferedOps();
        private final BlockMatcher matcher;
        private final SparseMap.Builder holes = new SparseMap.Builder();
        private final int[] weak;
        private final long[] strong;
        private final long opsLimit;
        private int block;
        private boolean abandoned;

        Matching(BlockSource base, long size, int blocks, long opsLimit) {
            this.weak = new int[blocks];
            this.strong = new long[blocks];
            this.opsLimit = opsLimit;
            this.matcher = new BlockMatcher(base, ops, this::block, size);
        }

        private void block(int w, long s) {
            weak[block] = w;
            strong[block] = s;
            block++;
        }

        void accept(byte[] bytes, int offset, int length) {
            holes.accept(bytes, offset, length);
            if (abandoned) {
                return;
            }
            try {
                matcher.accept(bytes, offset, length);
            } catch (IOException e) {
                abandoned = true; // a damaged kept signature: the write finds it so too and sends the file whole
            }
            if (ops.encodedLength() > opsLimit) {
                abandoned = true;
            }
        }

        Prepared finish(FileStat stat, byte[] sha256) {
            if (abandoned || holes.finish().hasHoles()) {
                return null;
            }
            try {
                matcher.finish();
            } catch (IOException e) {
                return null;
            }
            if (block != weak.length || ops.encodedLength() > opsLimit) {
                return null;
            }
            return new Prepared(stat, Arrays.copyOf(sha256, sha256.length), ops, weak, strong);
        }
    }
}
