package org.clusterbackup.core.delta;

import java.io.IOException;

/** Receives a signature's blocks in order, as {@link SignatureBuilder} computes them. */
@FunctionalInterface
public interface BlockSink {
    void block(int weak, long strong) throws IOException;
}
