package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of an archive's changes; {@code last} marks the final one. */
public record ChangePage(List<Change> items, boolean last) implements Message {
    public ChangePage {
        items = List.copyOf(items);
    }

    /**
     * One path that differs.
     *
     * @param path as the index names it (a directory without its trailing {@code /})
     * @param change {@code added}, {@code removed}, {@code modified} (content, type or link target) or
     *        {@code metadata} (mode, owner or mtime only)
     */
    public record Change(String path, String change) {}
}
