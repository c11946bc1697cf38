package org.clusterbackup.core.schedule;

/** The node:port an agent listens on; targets that share it share one probe loop. */
record Endpoint(String node, int port) {
    static Endpoint of(ScheduledTarget target) {
        return new Endpoint(target.node(), target.port());
    }

    @Override
    public String toString() {
        return ScheduledTarget.endpointLabel(node, port);
    }
}
