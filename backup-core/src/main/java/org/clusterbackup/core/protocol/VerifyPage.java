package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of verify results; {@code last} marks the final one. */
public record VerifyPage(List<VerifyResult> items, boolean last) implements Message {
    public VerifyPage {
        items = List.copyOf(items);
    }
}
