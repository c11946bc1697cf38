package org.clusterbackup.core.client;

import java.io.IOException;

/** Where the items of a listing go as their pages arrive (a printer, a counter), instead of into a list. */
@FunctionalInterface
public interface ItemSink<T> {
    void accept(T item) throws IOException;
}
