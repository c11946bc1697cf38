package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of the live servers; {@code last} marks the final one. */
public record ServerPage(List<ServerInfo> items, boolean last) implements Message {
    public ServerPage {
        items = List.copyOf(items);
    }
}
