package org.clusterbackup.core.index;

/**
 * A range of a rebuilt file's content in the delta tar, and where the same bytes are in the base archive's
 * tar when they were copied from it ({@code baseTarOffset}, else -1: literal bytes, in the delta tar only).
 * The synthesis lays copied ranges out from the base, so a segment of an unchanged part of a long file is
 * copied compressed instead of deflated anew.
 */
public record Extent(long deltaOffset, long length, long baseTarOffset) {
    public Extent {
        if (deltaOffset < 0 || length <= 0 || baseTarOffset < -1) {
            throw new IllegalArgumentException(
                    "impossible extent: at " + deltaOffset + ", " + length + " bytes, base " + baseTarOffset);
        }
    }
}
