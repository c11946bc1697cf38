package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from /proc, as the bench reads the daemons' (10 ms ticks: time many operations at once). */
final class ProcCpu {
    private ProcCpu() {}

    /** utime + stime of the calling thread in nanoseconds. */
    static long thread() throws IOException {
        return read(Path.of("/proc/thread-self/stat"));
    }

    /** utime + stime of this JVM in nanoseconds, every thread (pools included). */
    static long process() throws IOException {
        return read(Path.of("/proc/self/stat"));
    }

    private static long read(Path procStat) throws IOException {
        String stat = Files.readString(procStat);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
