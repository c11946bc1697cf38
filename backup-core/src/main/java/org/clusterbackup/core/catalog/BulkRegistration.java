package org.clusterbackup.core.catalog;

import java.util.List;

/**
 * What registering a batch of targets did.
 *
 * @param registered targets new to the catalog
 * @param reactivated unregistered targets registered again, with their ids and history
 * @param unchanged targets already registered with the same frequency: nothing was written for them
 */
public record BulkRegistration(List<Target> registered, List<Target> reactivated, int unchanged) {
    public BulkRegistration {
        registered = List.copyOf(registered);
        reactivated = List.copyOf(reactivated);
    }
}
