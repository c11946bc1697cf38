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
    private Pages() {}

    /** Reads pages of {@code type} until the last, collecting their items in order. */
    static <P extends Message, T> List<T> collect(
            BlockingConnection c, Class<P> type, Function<P, List<T>> items, Predicate<P> last) throws IOException {
        List<T> all = new ArrayList<>();
        forEach(c, type, items, last, all::add);
        return all;
    }

    /**
     * Reads pages of {@code type} until the last, handing each item to {@code sink} as its page arrives: the
     * caller holds one page at a time, however long the answer.
     */
    static <P extends Message, T> void forEach(
            BlockingConnection c,
            Class<P> type,
            Function<P, List<T>> items,
            Predicate<P> last,
            ItemSink<? super T> sink)
            throws IOException {
        P page;
        do {
            page = c.expect(type);
            for (T item : items.apply(page)) {
                sink.accept(item);
            }
        } while (!last.test(page));
    }
}
