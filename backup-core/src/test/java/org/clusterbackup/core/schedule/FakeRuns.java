package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.testkit.ManualClock;

/**
 * A RunExecutor that records each call and answers from a script: per target a queue of results, then a
 * standing result (STORED unless set). A run can be given a duration, which it spends by moving the clock.
 */
final class FakeRuns implements RunExecutor {
    record Call(long id, RunTrigger trigger, Instant at) {}

    private final ManualClock clock;
    private final List<Call> calls = new ArrayList<>();
    private final Map<Long, Deque<RunResult>> scripted = new HashMap<>();
    private final Map<Long, RunResult> standing = new HashMap<>();
    private final Map<Long, Duration> durations = new HashMap<>();
    private final Map<Long, RuntimeException> failures = new HashMap<>();

    FakeRuns(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized RunResult run(ScheduledTarget target, RunTrigger trigger) {
        calls.add(new Call(target.id(), trigger, clock.instant()));
        RuntimeException failure = failures.get(target.id());
        if (failure != null) {
            throw failure;
        }
        Duration d = durations.get(target.id());
        if (d != null) {
            clock.advance(d);
        }
        Deque<RunResult> queue = scripted.get(target.id());
        if (queue != null && !queue.isEmpty()) {
            return queue.poll();
        }
        return standing.getOrDefault(target.id(), RunResult.stored());
    }

    /** From now on every run of the target ends so. */
    synchronized FakeRuns always(long id, RunResult result) {
        standing.put(id, result);
        return this;
    }

    /** The next runs of the target end so, in order; then the standing result. */
    synchronized FakeRuns next(long id, RunResult... results) {
        scripted.computeIfAbsent(id, k -> new ArrayDeque<>()).addAll(List.of(results));
        return this;
    }

    synchronized FakeRuns takes(long id, Duration d) {
        durations.put(id, d);
        return this;
    }

    synchronized FakeRuns throwing(long id, RuntimeException e) {
        failures.put(id, e);
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> callsOf(long id) {
        return calls.stream().filter(c -> c.id() == id).toList();
    }

    synchronized List<Long> order() {
        return calls.stream().map(Call::id).toList();
    }
}
