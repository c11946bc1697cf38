package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of an archive's entries; {@code last} marks the final one. */
public record FilePage(List<FileInfo> items, boolean last) implements Message {
    public FilePage {
        items = List.copyOf(items);
    }
}
