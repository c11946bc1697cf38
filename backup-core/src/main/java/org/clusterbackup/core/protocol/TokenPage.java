package org.clusterbackup.core.protocol;

import java.util.List;

/** Control plane: a page of the token list; {@code last} marks the final one. */
public record TokenPage(List<TokenInfo> items, boolean last) implements Message {
    public TokenPage {
        items = List.copyOf(items);
    }
}
