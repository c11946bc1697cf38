package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of audit entries, newest first; {@code last} marks the final one. */
public record AuditPage(List<AuditEntry> items, boolean last) implements Message {
    public AuditPage {
        items = List.copyOf(items);
    }
}
