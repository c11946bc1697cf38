package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of archives; {@code last} marks the final one. */
public record ArchivePage(List<ArchiveInfo> items, boolean last) implements Message {
    public ArchivePage {
        items = List.copyOf(items);
    }
}
