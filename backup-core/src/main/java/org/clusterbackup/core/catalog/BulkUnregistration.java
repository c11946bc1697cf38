package org.clusterbackup.core.catalog;

import java.util.List;

/**
 * What unregistering a batch of targets did.
 *
 * @param unregistered the targets deactivated
 * @param notFound targets the catalog does not have, or has but not registered
 */
public record BulkUnregistration(List<Target> unregistered, int notFound) {
    public BulkUnregistration {
        unregistered = List.copyOf(unregistered);
    }
}
