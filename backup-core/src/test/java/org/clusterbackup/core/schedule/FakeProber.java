package org.clusterbackup.core.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clusterbackup.testkit.ManualClock;

/** A Prober that records each probe; a node:port answers once the test says it does. */
final class FakeProber implements Prober {
    record Probe(String node, int port, Instant at) {}

    private final ManualClock clock;
    private final List<Probe> probes = new ArrayList<>();
    private final Set<String> answering = new HashSet<>();
    private RuntimeException failure;

    FakeProber(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean answers(String node, int port) {
        probes.add(new Probe(node, port, clock.instant()));
        if (failure != null) {
            throw failure;
        }
        return answering.contains(node + ":" + port);
    }

    synchronized void answer(String node, int port, boolean answers) {
        if (answers) {
            answering.add(node + ":" + port);
        } else {
            answering.remove(node + ":" + port);
        }
    }

    synchronized void throwing(RuntimeException e) {
        failure = e;
    }

    synchronized List<Probe> probes() {
        return List.copyOf(probes);
    }
}
