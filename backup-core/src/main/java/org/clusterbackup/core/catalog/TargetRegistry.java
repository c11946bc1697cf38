package org.clusterbackup.core.catalog;

import java.util.Collection;
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

    /**
     * One page of the active targets, ordered by id: those with an id above {@code afterId}, at most
     * {@code limit} (keyset paging: a deep page costs what the first one does).
     */
    List<Target> activeTargets(long afterId, int limit);

    /**
     * The active ones of these targets, ordered by id: a read of these rows only (a server that gains a few
     * targets or a take-over's share reads those, never the whole registry), in bounded chunks of ids.
     */
    List<Target> activeTargets(Collection<Long> ids);

    /**
     * The newest change stamp of the targets' change cursor: every change to what {@code list} shows of a
     * target (registration, unregistration, a run starting or ending, a server taking it over) stamps the
     * target with a higher one in the transaction of the change.
     */
    long targetChangeSequence();

    /**
     * One page of the targets, active or not, whose latest change is after {@code after} and stamped at most
     * {@code upTo}, ordered by (stamp, id), at most {@code limit}: keyset paging over the change cursor.
     */
    List<TargetChange> changedTargets(TargetChange.Key after, long upTo, int limit);

    /**
     * Registers a batch in one transaction: new targets are added, unregistered ones reactivated with the new
     * frequency, and ones registered with the same frequency left as they are (so a batch applied twice
     * changes nothing the second time).
     *
     * @throws RefusedException {@code DUPLICATE} when a target is registered with another frequency; then
     *         nothing of the batch is written
     */
    BulkRegistration registerAll(List<NewTarget> targets);

    /**
     * Unregisters a batch in one transaction, each target named exactly by (node, port, path): every
     * selector has its port. Ones unknown or not registered are counted, not refused.
     */
    BulkUnregistration unregisterAll(List<TargetSelector> targets);
}
