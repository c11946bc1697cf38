package org.clusterbackup.core.schedule;

/**
 * Asks whether an agent answers at node:port, typically by exchanging {@code Hello}. Blocking (the
 * scheduler calls it on a worker thread); writes nothing, so probing a down node costs no catalog rows.
 */
@FunctionalInterface
public interface Prober {
    /** @return true when the agent answered; an exception counts as false */
    boolean answers(String node, int port) throws Exception;
}
