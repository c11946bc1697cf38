package org.clusterbackup.core.protocol;

/**
 * One target of a bulk request: {@code NODE PORT PATH SPEC} as a line of a registration file gives it.
 *
 * @param everySeconds the frequency; {@code null} in an unregistration, which needs none
 */
public record TargetLine(String node, int port, String path, Long everySeconds) {}
