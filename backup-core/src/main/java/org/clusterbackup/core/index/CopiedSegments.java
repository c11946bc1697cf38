package org.clusterbackup.core.index;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.clusterbackup.core.delta.BlockStream;
import org.clusterbackup.core.delta.BlockStreamReader;
import org.clusterbackup.core.delta.MalformedDeltaException;

/**
 * The base segments the block rebuild will inflate, in the order it will ask for them: a second reader of the
 * stream, a little ahead of the rebuilder, turning each copy into the segments holding its bytes
 * ({@code dataOffset + offset} of the file's base entry, as the rebuilder reads them) and leaving out a segment
 * asked for right after itself (the rebuilder keeps its last segment). Computed from the copies themselves,
 * not from the entries' extents, so the plan is the rebuilder's requests even where a copy reaches past its
 * entry's stored data (a sparse base version stores less than its size; the SHA-256 refuses such a file
 * later, but its reads happen first). Where the rebuilder would stop (a file the base lacks, a copy beyond the
 * base version or beyond the new size, a malformed stream, an offset outside the base's segments) the plan
 * ends; the rebuilder then fails there by itself, with its own error. Memory: one stream buffer.
 */
final class CopiedSegments implements SegmentsAhead.Plan {
    private final InputStream in;
    private final BlockStreamReader reader;
    private final Map<String, IndexEntry> bases;
    private final BaseTar base;
    /** The file whose ops are being read; null between files. */
    private IndexEntry file;

    private long size;
    private long given;
    /** The tar bytes of the current copy not yet turned into segments. */
    private long at;

    private long end;
    private IndexSegment last;

    CopiedSegments(Path stream, Map<String, IndexEntry> bases, BaseTar base) throws IOException {
        this.in = new BufferedInputStream(Files.newInputStream(stream), 64 * 1024);
        this.reader = new BlockStreamReader(in);
        this.bases = bases;
        this.base = base;
    }

    @Override
    public IndexSegment next() {
        try {
            while (true) {
                while (at < end) {
                    IndexSegment s = base.segmentHolding(at);
                    at = s.tarEnd();
                    if (s != last) {
                        last = s;
                        return s;
                    }
                }
                if (!nextCopy()) {
                    return null;
                }
            }
        } catch (IOException | MalformedDeltaException | ArchiveFormatException e) {
            return null; // the rebuilder meets the same and says what it is
        }
    }

    /** Reads on to the next copy the rebuilder would read, and sets {@link #at} and {@link #end} to its bytes. */
    private boolean nextCopy() throws IOException, MalformedDeltaException {
        while (true) {
            if (file == null) {
                int kind = reader.next();
                if (kind == BlockStream.END) {
                    return false;
                }
                if (kind == BlockStream.TAR) {
                    reader.skip();
                    continue;
                }
                file = bases.get(reader.path());
                if (file == null) {
                    return false;
                }
                size = reader.size();
                given = 0;
            }
            int op = reader.nextOp();
            if (op == BlockStream.OP_END) {
                reader.sha256();
                file = null;
                continue;
            }
            long length = reader.length();
            if (given + length > size) {
                return false;
            }
            given += length;
            if (op == BlockStream.LITERAL) {
                reader.skip();
                continue;
            }
            long offset = reader.copyOffset();
            if (offset + length > file.size()) {
                return false;
            }
            if (length > 0) {
                at = file.dataOffset() + offset;
                end = at + length;
                return true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
