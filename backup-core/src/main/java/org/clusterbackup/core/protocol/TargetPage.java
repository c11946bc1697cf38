package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: a page of a target list. Long lists travel as several pages so that no frame grows with
 * the size of the registry; {@code last} marks the final one.
 */
public record TargetPage(List<TargetInfo> items, boolean last) implements Message {
    public TargetPage {
        items = List.copyOf(items);
    }
}
