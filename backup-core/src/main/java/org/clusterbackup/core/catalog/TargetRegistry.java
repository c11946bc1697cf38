package org.clusterbackup.core.catalog;

import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.TargetSelector;

/**
 * The registry of targets: which (node, port, path) the server backs up, each with a stable id. Rows are
 * never deleted; unregistering deactivates one, registering it again reactivates it with the same id.
 */
public interface TargetRegistry {
    /**
     * Registers a new target, or reactivates an unregistered one with the new frequency and the same id.
     *
     * @throws RefusedException {@code DUPLICATE} when the target is already active
     */
    Target register(String node, int port, String path, long everySeconds);

    /**
     * Deactivates the selected target. Its id, archives and executions stay.
     *
     * @throws RefusedException {@code NOT_FOUND} or {@code AMBIGUOUS}, or {@code NOT_FOUND} when the
     *         target exists but is not registered
     */
    Target unregister(TargetSelector selector);

    /**
     * The target a user's selector means, active or not.
     *
     * @throws RefusedException {@code NOT_FOUND}, or {@code AMBIGUOUS} naming the ports to choose from
     */
    Target resolve(TargetSelector selector);

    Optional<Target> target(long id);

    /** Active targets ordered by id. */
    List<Target> activeTargets();
}
