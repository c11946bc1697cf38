package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: a page of the answer to a {@link TargetChangesRequest}.
 *
 * @param reset the answer is every active target, not changes: the client drops the rows it has first
 *        (the same on every page of one answer)
 * @param items targets that are registered, as {@code list} shows them, to add or replace by id
 * @param removed ids of targets no longer registered, to drop
 * @param cursor on the last page only (else null): what the next request sends as {@code since}
 */
public record TargetChangePage(
        boolean reset, List<TargetInfo> items, List<Long> removed, TargetCursor cursor, boolean last)
        implements Message {
    public TargetChangePage {
        items = items == null ? List.of() : List.copyOf(items);
        removed = removed == null ? List.of() : List.copyOf(removed);
        if (last != (cursor != null)) {
            throw new IllegalArgumentException("a cursor comes with the last page, and only with it");
        }
    }
}
