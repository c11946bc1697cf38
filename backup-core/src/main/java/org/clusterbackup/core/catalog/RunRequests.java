package org.clusterbackup.core.catalog;

import java.util.List;
import java.util.function.LongPredicate;

/**
 * Manual runs asked of one server of a cluster for a target another server holds. The server that took the
 * operator's {@code run} records a request; the target's holder takes it, runs the target and answers with
 * the execution its run wrote; the asking server hands that to the operator. A request taken by a server
 * that then lost the target (killed, cut off) goes to the target's next holder.
 *
 * <p>Servers are told apart by a process name ({@code asker}, {@code taker}): a server restarted under the
 * same {@code --name} is another process, whose predecessor's requests are not its own.
 */
public interface RunRequests {
    /** A request to run a target, as its holder takes it. */
    record Taken(long id, long targetId) {}

    /**
     * Where a request stands, as its asker sees it.
     *
     * @param answered the holder answered: with {@code executionId}, or with {@code error}
     * @param worked a server that still holds the target has taken it (its run is under way)
     */
    record State(long id, long targetId, boolean answered, boolean worked, Long executionId, String error) {}

    /** Asks for a run of the target; returns the request's id. */
    long submit(long targetId, String asker);

    /**
     * The requests for targets {@code server} holds now that are not answered and not taken by this very
     * process, limited to those {@code canRun} accepts; they are taken in {@code taker}'s name.
     */
    List<Taken> take(String server, String taker, LongPredicate canRun);

    /** A taken request could not be started here after all: the target's holder takes it again. */
    void putBack(long id, String taker);

    /** The taker's answer; ignored when another process took the request over meanwhile. */
    void answer(long id, String taker, Long executionId, String error);

    /** The requests {@code asker} submitted and has not forgotten. */
    List<State> states(String asker);

    /**
     * Withdraws a request no live holder works on (not taken, or taken by a server that lost the target);
     * false when one does, and the request stays.
     */
    boolean withdraw(long id);

    /** The asker read the answer: the request goes. */
    void forget(long id);
}
