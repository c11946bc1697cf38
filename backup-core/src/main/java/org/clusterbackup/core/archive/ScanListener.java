package org.clusterbackup.core.archive;

import java.io.IOException;

/** Told of a scan's progress as it goes, on the scanning thread; a big tree takes minutes to walk and hash. */
@FunctionalInterface
public interface ScanListener {
    ScanListener NONE = entries -> {};

    /**
     * @param entries entries walked plus entries hashed (or vouched for by the stat cache) so far; grows
     * @throws IOException ends the scan (the agent's server went away)
     */
    void progress(long entries) throws IOException;
}
