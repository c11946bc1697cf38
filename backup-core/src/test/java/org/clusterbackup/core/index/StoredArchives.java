package org.clusterbackup.core.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.ArchiveSink;
import org.clusterbackup.core.archive.ArchiveSummary;
import org.clusterbackup.core.archive.CompressedSegment;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.SignatureRecorder;
import org.clusterbackup.core.archive.SignatureStore;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.clusterbackup.core.protocol.Segment;

/** Full archives as the server stores them: the agent's writer, through the receiver, to a file and its index. */
final class StoredArchives {
    /** A stored archive: the {@code .tgz}, its {@code .idx}, and the index's SHA-256 as the catalog records it. */
    record Stored(Path archive, Path index, String indexSha256, DeliveredManifests.Manifest manifest) {
        IndexFile open() throws UnusableIndexException {
            return IndexFile.open(index, indexSha256);
        }

        List<IndexSegment> segments() throws IOException, UnusableIndexException {
            List<IndexSegment> segments = new ArrayList<>();
            try (IndexFile f = open()) {
                f.read(new IndexFile.Visitor() {
                    @Override
                    public boolean segment(IndexSegment s) {
                        return segments.add(s);
                    }
                });
            }
            return segments;
        }

        List<IndexEntry> entries() throws IOException, UnusableIndexException {
            List<IndexEntry> entries = new ArrayList<>();
            try (IndexFile f = open()) {
                f.read(new IndexFile.Visitor() {
                    @Override
                    public boolean entry(IndexEntry e) {
                        return entries.add(e);
                    }
                });
            }
            return entries;
        }

        byte[] tar() throws IOException {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                return in.readAllBytes();
            }
        }
    }

    private StoredArchives() {}

    /** Damages {@code file} on disk as the disk would: one bit of the byte at {@code at} flipped. */
    static void flipByte(Path file, long at) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    /**
     * A full backup of {@code root} as {@link #full(Path, Path, String, int)}, its files' signatures kept in
     * {@code state} as the agent keeps them for the next run's block delta.
     */
    static Stored fullWithSignatures(Path root, Path state, Path dir, String name, int level) throws Exception {
        try (SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder()) {
            Stored base = full(root, dir, name, level, run);
            kept.commit(base.manifest().entries(), run);
            return base;
        }
    }

    /**
     * The agent's block delta of {@code root} against {@code base} (whose signatures are in {@code state}), as a
     * plain (not deflated) stream in {@code stream}.
     *
     * @return the files described as copies and literal bytes
     */
    static long blockDelta(Path root, Path state, Stored base, Path stream, Set<String> removed) throws Exception {
        try (SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder();
                TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(stream))) {
            BlockStreamWriter blocks = new BlockStreamWriter(out);
            ArchiveSummary s = archiver.writeBlockDelta(
                    archiver.scan(root, StatCache.empty()),
                    StatCache.empty(),
                    base.manifest(),
                    blocks,
                    removed,
                    kept,
                    run);
            if (s.files() == 0) {
                throw new IllegalStateException("the tree has no file");
            }
            return blocks.files();
        }
    }

    /** A full backup of {@code root} at {@code level}, received and indexed as the server does. */
    static Stored full(Path root, Path dir, String name, int level) throws Exception {
        return full(root, dir, name, level, null);
    }

    /** As {@link #full(Path, Path, String, int)}, giving {@code signatures} (if not null) every file's signature. */
    static Stored full(Path root, Path dir, String name, int level, SignatureRecorder signatures) throws Exception {
        Path archive = dir.resolve(name + ".tgz");
        Path index = dir.resolve(name + ".idx");
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
                ArchiveReceiver receiver = new ArchiveReceiver(index)) {
            ArchiveSummary summary = archiver.write(
                    archiver.scan(root, StatCache.empty()),
                    StatCache.empty(),
                    new ArchiveSink() {
                        @Override
                        public void header(byte[] header) throws IOException {
                            file.write(header);
                            data(receiver, header);
                        }

                        @Override
                        public void segment(CompressedSegment s) throws IOException {
                            try {
                                receiver.segment(new Segment(s.tarLength(), s.gzLength(), s.crc32()));
                            } catch (ArchiveFormatException e) {
                                throw new IOException(e);
                            }
                            for (byte[] chunk : s.chunks()) {
                                file.write(chunk);
                                data(receiver, chunk);
                            }
                        }

                        @Override
                        public void tail(byte[] tail) throws IOException {
                            file.write(tail);
                            data(receiver, tail);
                        }
                    },
                    level,
                    signatures);
            return new Stored(
                    archive,
                    index,
                    receiver.end(),
                    new DeliveredManifests.Manifest(summary.digest(), summary.entries()));
        }
    }

    /** The agent's delta of {@code root} against {@code base}: a plain tar file, and the removed paths. */
    static Delta delta(Path root, Stored base, Path file) throws IOException {
        Set<String> removed = new HashSet<>();
        ArchiveSummary summary;
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            summary = archiver.writeDelta(
                    archiver.scan(root, StatCache.empty()), StatCache.empty(), base.manifest(), out, removed);
        }
        return new Delta(file, removed, new DeliveredManifests.Manifest(summary.digest(), summary.entries()));
    }

    record Delta(Path tar, Set<String> removed, DeliveredManifests.Manifest manifest) {}

    private static void data(ArchiveReceiver receiver, byte[] bytes) throws IOException {
        try {
            receiver.data(bytes);
        } catch (ArchiveFormatException e) {
            throw new IOException(e);
        }
    }
}
