package org.clusterbackup.core.archive;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.delta.BlockMatcher;
import org.clusterbackup.core.delta.BlockSink;
import org.clusterbackup.core.delta.BlockSource;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.clusterbackup.core.delta.SignatureBuilder;

/**
 * What becomes of the content of each regular file a write reads ({@link FileCopier} reads it, by the hot-file
 * protocol, once): the tar gets it; when the write keeps signatures, a {@link SignatureBuilder} sees it too;
 * and in a block delta, a file whose base version has a kept signature goes as copies and literal bytes
 * against that version instead (see {@link BlockStreamWriter}), unless that would not be smaller.
 */
final class FileContent {
    /** The tar alone: no signatures, no block delta. */
    static final FileContent PLAIN = new FileContent(null, null, null, null);
    /** Zeros for the tar writer in place of a prepared file's content, which the block stream drops. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final SignatureRecorder recorder;
    private final Map<String, ManifestEntry> base;
    private final SignatureStore signatures;
    private final BlockStreamWriter blocks;
    private final PreparedDeltas prepared;

    /**
     * @param recorder where the signatures of the files read go, or null
     * @param base the base manifest's entries by path, for a block delta; else null
     * @param signatures the kept signatures of the base's files, for a block delta; else null
     * @param blocks the block delta's stream, under the tar writer; else null
     */
    FileContent(
            SignatureRecorder recorder,
            Map<String, ManifestEntry> base,
            SignatureStore signatures,
            BlockStreamWriter blocks) {
        this(recorder, base, signatures, blocks, null);
    }

    /** With the block deltas the scan {@code prepared} (or null), in a block delta. */
    FileContent(
            SignatureRecorder recorder,
            Map<String, ManifestEntry> base,
            SignatureStore signatures,
            BlockStreamWriter blocks,
            PreparedDeltas prepared) {
        this.recorder = recorder;
        this.base = base;
        this.signatures = signatures;
        this.blocks = blocks;
        this.prepared = prepared;
    }

    /** The delta the scan prepared for file {@code name} if {@code now} is still the stat it read; else null. */
    PreparedDeltas.Prepared prepared(String name, FileStat now) {
        return prepared == null || blocks == null ? null : prepared.take(name, now);
    }

    /**
     * Writes file {@code name}, whose stat is {@code stat}, from the delta the scan prepared: the ops it worked
     * out, the new signature it computed, without reading the file; the tar writer gets zeros for the content
     * it counts, which the block stream drops.
     */
    void fromPrepared(TarGzStream tar, TarEntryHeader header, String name, FileStat stat, PreparedDeltas.Prepared p)
            throws IOException {
        BlockSink sink = recorder != null ? recorder.begin(stat.size()) : null;
        tar.beginFile(header);
        blocks.beginFile(name, stat.size());
        p.ops().replay(blocks);
        for (long left = stat.size(); left > 0; ) {
            int n = (int) Math.min(left, ZEROS.length);
            tar.write(ZEROS, 0, n);
            left -= n;
        }
        blocks.endFile(p.sha256());
        tar.endFile();
        if (sink != null) {
            p.signature(sink);
        }
        if (recorder != null) {
            recorder.end(HexFormat.of().formatHex(p.sha256()));
        }
    }

    /** Writes of a file streamed into the archive as it is read. */
    interface Writer {
        void write(byte[] bytes, int offset, int length) throws IOException;

        /** Every byte came; {@code sha256} is their hash. */
        void end(byte[] sha256) throws IOException;
    }

    /**
     * A file read whole into {@code bytes[0, stat.size())}, hashed {@code sha256}: writes its entry under
     * {@code header} (which states {@code stat.size()} bytes of plain content).
     */
    void whole(TarGzStream tar, TarEntryHeader header, String name, FileStat stat, byte[] bytes, byte[] sha256)
            throws IOException {
        int length = (int) stat.size();
        BlockSink sink = recorder != null ? recorder.begin(stat.size()) : null;
        Optional<BlockSource> signature = signature(name);
        boolean asBlocks = false;
        BufferedOps ops = new BufferedOps();
        if (signature.isPresent()) {
            // The new signature comes out of the matcher either way: it is the content's, whatever is sent.
            BlockMatcher matcher = new BlockMatcher(signature.get(), ops, sink, stat.size());
            matcher.accept(bytes, 0, length);
            matcher.finish();
            asBlocks = matcher.copiedBytes() > 0 && ops.encodedLength() < length;
        } else if (sink != null) {
            SignatureBuilder signer = new SignatureBuilder(stat.size(), sink);
            signer.accept(bytes, 0, length);
            signer.finish();
        }
        tar.beginFile(header);
        if (asBlocks) {
            blocks.beginFile(name, stat.size());
            ops.replay(blocks);
        }
        tar.write(bytes, 0, length); // in a block delta, counted by the tar writer and dropped from the stream
        if (asBlocks) {
            blocks.endFile(sha256);
        }
        tar.endFile();
        if (recorder != null) {
            recorder.end(HexFormat.of().formatHex(sha256));
        }
    }

    /** A file streamed: its header is written now, its bytes through the writer returned. */
    Writer begin(TarGzStream tar, TarEntryHeader header, String name, FileStat stat) throws IOException {
        BlockSink sink = recorder != null ? recorder.begin(stat.size()) : null;
        Optional<BlockSource> signature = signature(name);
        tar.beginFile(header);
        BlockMatcher matcher = null;
        SignatureBuilder signer = null;
        if (signature.isPresent()) {
            // Streamed, the delta is decided before the bytes are seen: where nothing matches it is all literal,
            // a few bytes per 64 KiB more than the file itself.
            blocks.beginFile(name, stat.size());
            matcher = new BlockMatcher(signature.get(), blocks, sink, stat.size());
        } else if (sink != null) {
            signer = new SignatureBuilder(stat.size(), sink);
        }
        BlockMatcher m = matcher;
        SignatureBuilder b = signer;
        return new Writer() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                tar.write(bytes, offset, length);
                if (m != null) {
                    m.accept(bytes, offset, length);
                } else if (b != null) {
                    b.accept(bytes, offset, length);
                }
            }

            @Override
            public void end(byte[] sha256) throws IOException {
                if (m != null) {
                    m.finish();
                    blocks.endFile(sha256);
                } else if (b != null) {
                    b.finish();
                }
                tar.endFile();
                if (recorder != null) {
                    recorder.end(HexFormat.of().formatHex(sha256));
                }
            }
        };
    }

    /** The kept signature of the base version of file {@code name}, in a block delta. */
    private Optional<BlockSource> signature(String name) {
        if (blocks == null) {
            return Optional.empty();
        }
        ManifestEntry before = base.get(name);
        return before == null ? Optional.empty() : signatures.find(before);
    }
}
