package org.clusterbackup.core.index;

import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.archive.SegmentRule;

/**
 * The bytes of one entry of a synthesized archive as ranges of their sources, handed to the
 * {@link SegmentAssembler} in order, as many at a time as the cut rule asks.
 */
final class EntryPieces {
    /** {@code length} bytes from {@code from} in {@code source}. */
    record Piece(SegmentAssembler.Source source, long from, long length) {}

    private final List<Piece> pieces;
    private int current;
    private long usedOfCurrent;

    EntryPieces(List<Piece> pieces) {
        this.pieces = pieces;
    }

    /** True if {@code ranges} cover the content of delta entry {@code e} exactly, in order. */
    static boolean covers(IndexEntry e, List<Extent> ranges) {
        long at = e.dataOffset();
        for (Extent x : ranges) {
            if (x.deltaOffset() != at) {
                return false;
            }
            at += x.length();
        }
        return e.kind() == EntryKind.FILE && at == e.dataEnd();
    }

    /**
     * Delta entry {@code e} (a rebuilt file) as its header and padding from the delta, and its content from
     * the base where it was copied from there.
     */
    static EntryPieces of(IndexEntry e, List<Extent> ranges) {
        List<Piece> pieces = new ArrayList<>();
        pieces.add(new Piece(SegmentAssembler.Source.DELTA, e.headerOffset(), e.dataOffset() - e.headerOffset()));
        for (Extent x : ranges) {
            pieces.add(
                    x.baseTarOffset() >= 0
                            ? new Piece(SegmentAssembler.Source.BASE, x.baseTarOffset(), x.length())
                            : new Piece(SegmentAssembler.Source.DELTA, x.deltaOffset(), x.length()));
        }
        long padding = SegmentRule.padded(e.size()) - e.size();
        if (padding > 0) {
            pieces.add(new Piece(SegmentAssembler.Source.DELTA, e.dataEnd(), padding));
        }
        return new EntryPieces(pieces);
    }

    /** Appends the next {@code n} bytes to {@code out}. */
    void append(SegmentAssembler out, long n) {
        while (n > 0) {
            Piece p = pieces.get(current);
            long take = Math.min(n, p.length() - usedOfCurrent);
            out.append(p.source(), p.source() == SegmentAssembler.Source.ZEROS ? 0 : p.from() + usedOfCurrent, take);
            usedOfCurrent += take;
            n -= take;
            if (usedOfCurrent == p.length()) {
                current++;
                usedOfCurrent = 0;
            }
        }
    }
}
