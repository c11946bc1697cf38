package org.clusterbackup.console.viewmodel;

import java.time.Instant;

/** One point of the archive-size chart: when an archive was made, and how big it is. */
public record SizePoint(Instant at, long bytes) {}
