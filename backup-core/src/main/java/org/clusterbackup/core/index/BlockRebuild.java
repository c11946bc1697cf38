package org.clusterbackup.core.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.clusterbackup.core.archive.CountingOutputStream;
import org.clusterbackup.core.delta.BlockStream;
import org.clusterbackup.core.delta.BlockStreamReader;
import org.clusterbackup.core.delta.MalformedDeltaException;

/**
 * Turns a received block delta (see {@link BlockStream}) into the plain delta tar the synthesis reads: tar
 * records are copied, and each described file's content is rebuilt from its copies of the base version
 * (read from the base archive, inflating only the segments that hold them, each checked against its index
 * record) and its literal bytes, then checked against the SHA-256 and size the agent sent for it. Any
 * mismatch refuses the whole delta: a bad delta never becomes an archive (the run asks for a full one).
 *
 * <p>Three passes over the (small) stream: the names of the described files; their entries in the base
 * index, streamed; the rebuild. During the rebuild a second reader of the stream goes a few copies ahead and
 * the base segments they need are inflated on the server's pool ({@link SegmentsAhead}), so the inflates, most
 * of the rebuild's work, run on every core; the rebuilder takes them in order, each checked as it would have
 * checked it. Memory is the described files' base entries and extents, the segments of the base inflated ahead
 * (at most {@link #AHEAD} and {@link #AHEAD_BYTES}) and buffers, whatever the size of the files.
 */
public final class BlockRebuild {
    private static final int BUFFER = 64 * 1024;
    /**
     * Base segments inflating or inflated ahead of the rebuilder: two per pool thread, so a thread finishing
     * one finds the next waiting while the rebuilder takes the first.
     */
    static final int AHEAD = 2 * SegmentPool.THREADS;
    /** Tar bytes in those segments at most (a segment holds up to 4 MiB): what the read-ahead holds. */
    static final long AHEAD_BYTES = 16L << 20;

    /**
     * What the rebuild did.
     *
     * @param files files rebuilt from copies and literal bytes
     * @param copiedBytes bytes of them copied from the base versions
     * @param literalBytes bytes of them sent literally
     * @param extents each rebuilt file's content ranges, by path (see {@link Extent})
     * @param inflatedAhead base segments inflated on the pool ahead of the rebuilder (the others it inflated
     *     itself)
     */
    public record Result(
            long files, long copiedBytes, long literalBytes, Map<String, List<Extent>> extents, long inflatedAhead) {
        public Result {
            extents = Map.copyOf(extents);
        }
    }

    private BlockRebuild() {}

    /**
     * @param stream the inflated block delta
     * @param maxTar the largest rebuilt tar accepted (0: no limit), the run's bound on an archive
     * @throws ArchiveFormatException the delta breaks its format, describes a file against a base version the
     *         base archive does not hold, copies what is not there, or rebuilds a file whose SHA-256 or size is
     *         not the agent's; or the base archive is damaged
     */
    public static Result rebuild(Path stream, Path baseArchive, IndexFile baseIndex, Path outTar, long maxTar)
            throws IOException, ArchiveFormatException {
        return rebuild(stream, baseArchive, baseIndex, outTar, maxTar, null);
    }

    /**
     * Rebuilds as {@link #rebuild(Path, Path, IndexFile, Path, long)} does, and keeps in {@code kept} (if not
     * null) the base segments it inflates that hold the start or the end of a rebuilt file's base entry: the
     * segments the synthesis inflates again for the files around it (see {@link InflatedSegments}).
     */
    public static Result rebuild(
            Path stream, Path baseArchive, IndexFile baseIndex, Path outTar, long maxTar, InflatedSegments kept)
            throws IOException, ArchiveFormatException {
        return rebuild(stream, baseArchive, baseIndex, outTar, maxTar, kept, SegmentPool.POOL, AHEAD);
    }

    /**
     * Rebuilds as {@link #rebuild(Path, Path, IndexFile, Path, long, InflatedSegments)} does, the base segments
     * it reads inflated on {@code pool} up to {@code ahead} segments ahead of it (see {@link SegmentsAhead});
     * 0 inflates each on the calling thread when it is reached. The result is the same bytes either way.
     */
    static Result rebuild(
            Path stream,
            Path baseArchive,
            IndexFile baseIndex,
            Path outTar,
            long maxTar,
            InflatedSegments kept,
            Executor pool,
            int ahead)
            throws IOException, ArchiveFormatException {
        Set<ByteBuffer> described = new HashSet<>();
        for (String name : names(stream)) {
            described.add(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, IndexEntry> bases = new HashMap<>();
        List<IndexSegment> segments = new ArrayList<>();
        baseIndex.read(new IndexFile.Visitor() {
            @Override
            public boolean segment(IndexSegment s) {
                return segments.add(s);
            }

            /** Only the described files are made entries of: the others are compared by their name's bytes. */
            @Override
            public boolean wants(byte[] name, int offset, int length) {
                return described.contains(ByteBuffer.wrap(name, offset, length));
            }

            @Override
            public boolean entry(IndexEntry e) {
                if (e.kind() == EntryKind.FILE) {
                    bases.put(e.path(), e);
                }
                return true;
            }
        });
        try (FileChannel base = FileChannel.open(baseArchive, StandardOpenOption.READ);
                InputStream in = new BufferedInputStream(Files.newInputStream(stream), BUFFER);
                OutputStream file = Files.newOutputStream(outTar)) {
            CountingOutputStream out = new CountingOutputStream(new BufferedOutputStream(file, BUFFER));
            BaseTar baseTar = new BaseTar(base, segments);
            if (kept != null) {
                Set<Long> around = new HashSet<>();
                for (IndexEntry e : bases.values()) {
                    around.add(baseTar.segmentNumber(e.headerOffset()));
                    around.add(baseTar.segmentNumber(Math.max(e.dataOffset(), e.dataEnd()) - 1));
                }
                baseTar.keepInflated(kept, around);
            }
            Rebuilder rebuilder = new Rebuilder(baseTar, bases, out, maxTar);
            // Closed before the base archive: no segment of it is still being read when the rebuild ends.
            try (SegmentsAhead segmentsAhead = ahead > 0
                    ? new SegmentsAhead(
                            new CopiedSegments(stream, bases, baseTar),
                            baseTar.concurrentInflate(),
                            pool,
                            ahead,
                            AHEAD_BYTES)
                    : null) {
                baseTar.readAhead(segmentsAhead);
                rebuilder.run(new BlockStreamReader(in));
                out.flush();
                return new Result(
                        rebuilder.files,
                        rebuilder.copied,
                        rebuilder.literal,
                        rebuilder.extents,
                        segmentsAhead == null ? 0 : segmentsAhead.served());
            }
        } catch (MalformedDeltaException | EOFException e) {
            throw new ArchiveFormatException("the block delta is malformed: " + e.getMessage());
        }
    }

    /** The names of the files the stream describes; also checks its structure. */
    private static Set<String> names(Path stream) throws IOException, ArchiveFormatException {
        Set<String> names = new HashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(stream), BUFFER)) {
            BlockStreamReader reader = new BlockStreamReader(in);
            for (int kind = reader.next(); kind != BlockStream.END; kind = reader.next()) {
                if (kind == BlockStream.TAR) {
                    reader.skip();
                    continue;
                }
                if (!names.add(reader.path())) {
                    throw new ArchiveFormatException("the block delta describes " + reader.path() + " twice");
                }
                for (int op = reader.nextOp(); op != BlockStream.OP_END; op = reader.nextOp()) {
                    if (op == BlockStream.LITERAL) {
                        reader.skip();
                    }
                }
                reader.sha256();
            }
        } catch (MalformedDeltaException | EOFException e) {
            throw new ArchiveFormatException("the block delta is malformed: " + e.getMessage());
        }
        return names;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The third pass. */
    private static final class Rebuilder {
        private final BaseTar base;
        private final Map<String, IndexEntry> bases;
        private final CountingOutputStream out;
        private final long maxTar;
        private final byte[] buffer = new byte[BUFFER];
        private final MessageDigest sha256 = sha256();
        private final Map<String, List<Extent>> extents = new HashMap<>();
        long files;
        long copied;
        long literal;

        Rebuilder(BaseTar base, Map<String, IndexEntry> bases, CountingOutputStream out, long maxTar) {
            this.base = base;
            this.bases = bases;
            this.out = out;
            this.maxTar = maxTar;
        }

        void run(BlockStreamReader reader) throws IOException, ArchiveFormatException, MalformedDeltaException {
            for (int kind = reader.next(); kind != BlockStream.END; kind = reader.next()) {
                if (kind == BlockStream.TAR) {
                    checkRoom(reader.length());
                    reader.copyTar(out);
                } else {
                    file(reader);
                }
            }
        }

        private void file(BlockStreamReader reader)
                throws IOException, ArchiveFormatException, MalformedDeltaException {
            String path = reader.path();
            IndexEntry from = bases.get(path);
            if (from == null) {
                throw new ArchiveFormatException("the block delta describes " + path + " against a version the base "
                        + "archive does not hold as a file");
            }
            long size = reader.size();
            checkRoom(size);
            long start = out.count();
            List<Extent> ranges = new ArrayList<>();
            sha256.reset();
            for (int op = reader.nextOp(); op != BlockStream.OP_END; op = reader.nextOp()) {
                long length = reader.length();
                long at = out.count();
                if (at - start + length > size) {
                    throw new ArchiveFormatException(
                            "the block delta gives " + path + " more than its " + size + " bytes");
                }
                if (op == BlockStream.COPY) {
                    long offset = reader.copyOffset();
                    if (offset + length > from.size()) {
                        throw new ArchiveFormatException("the block delta copies bytes " + offset + " to "
                                + (offset + length) + " of " + path + ", whose base version has " + from.size());
                    }
                    copy(from.dataOffset() + offset, length);
                    copied += length;
                    if (length > 0) {
                        ranges.add(new Extent(at, length, from.dataOffset() + offset));
                    }
                } else {
                    reader.copyTar(new DigestingStream());
                    literal += length;
                    if (length > 0) {
                        ranges.add(new Extent(at, length, -1));
                    }
                }
            }
            byte[] expected = reader.sha256();
            byte[] actual = sha256.digest();
            if (out.count() - start != size || !MessageDigest.isEqual(expected, actual)) {
                throw new ArchiveFormatException("the rebuilt " + path + " is not the agent's: " + (out.count() - start)
                        + " bytes with sha256 " + HexFormat.of().formatHex(actual) + ", the agent's " + size
                        + " bytes with sha256 " + HexFormat.of().formatHex(expected));
            }
            extents.put(path, ranges);
            files++;
        }

        private void copy(long tarOffset, long length) throws IOException, ArchiveFormatException {
            while (length > 0) {
                int n = (int) Math.min(buffer.length, length);
                base.read(tarOffset, buffer, 0, n);
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                tarOffset += n;
                length -= n;
            }
        }

        private void checkRoom(long more) throws ArchiveFormatException {
            if (maxTar > 0 && out.count() + more > maxTar) {
                throw new ArchiveFormatException("the rebuilt delta exceeds " + maxTar + " bytes, the run's limit");
            }
        }

        /** Literal bytes: hashed on their way to the tar. */
        private final class DigestingStream extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sha256.update(b, off, len);
                out.write(b, off, len);
            }
        }
    }
}
