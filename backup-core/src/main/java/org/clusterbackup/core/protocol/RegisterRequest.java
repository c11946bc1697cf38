package org.clusterbackup.core.protocol;

/**
 * Control plane: register (or reactivate) the target (node, port, path) with a frequency.
 *
 * @param agentFingerprint the agent's identity ({@code SHA256:…}) to pin for node:port, or null to pin it
 *        at the first contact
 */
public record RegisterRequest(String node, int port, String path, long everySeconds, String agentFingerprint)
        implements Message {
    public RegisterRequest(String node, int port, String path, long everySeconds) {
        this(node, port, path, everySeconds, null);
    }
}
