package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of executions; {@code last} marks the final one. */
public record ExecutionPage(List<ExecutionInfo> items, boolean last) implements Message {
    public ExecutionPage {
        items = List.copyOf(items);
    }
}
