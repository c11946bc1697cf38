package org.clusterbackup.core.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.Message;

/** How every listing comes back: pages of one type, each with some items, until the one marked last. */
final class Pages {
    private Pages() {
    }

    /** Reads pages of {@code type} until the last, collecting their items in order. */
    static <P extends Message, T> List<T> collect(BlockingConnection c, Class<P> type, Function<P, List<T>> items,
                                                  Predicate<P> last) throws IOException {
        List<T> all = new ArrayList<>();
        P page;
        do {
            page = c.expect(type);
            all.addAll(items.apply(page));
        } while (!last.test(page));
        return all;
    }
}
