package org.clusterbackup.core.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.fs.IoReasons;

/**
 * The warnings of one scan or write, one line each, naming the entry relative to the root and the reason.
 * Operators read them in the execution log, so the phrasing is fixed here, in one place.
 */
final class Warnings {
    private final List<String> lines = new ArrayList<>();

    void skippedSpecial(String kind, String name) {
        lines.add("skipped " + kind + " " + name);
    }

    void unreadable(String name, IOException e) {
        lines.add("unreadable " + name + ": " + IoReasons.reason(e));
    }

    /** A file that could not be opened: it vanished, or is unreadable for the reason {@code e} gives. */
    void notOpened(String name, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            vanished(name);
        } else {
            unreadable(name, e);
        }
    }

    void vanished(String name) {
        lines.add("vanished during backup: " + name);
    }

    void badName(String name) {
        lines.add("skipped " + name + ": its name is not valid UTF-8");
    }

    void changedType(String name, String nowKind) {
        lines.add(name + " changed type during backup (now a " + nowKind + "), skipped");
    }

    void changedWhileRead(String name, int tries) {
        lines.add(name + " changed while being read (kept after " + tries + (tries == 1 ? " try)" : " tries)"));
    }

    void changedWhileStreamed(String name) {
        lines.add(name + " changed while being read (kept; too large to read again)");
    }

    void readFailed(String name, long after, IOException e) {
        lines.add(name + ": read failed after " + after + " bytes, the rest is zero-filled: " + IoReasons.reason(e));
    }

    void xattrSkipped(String name, String attribute) {
        lines.add(name + ": extended attribute " + attribute + " not kept: its value is not UTF-8 text");
    }

    void xattrsUnreadable(String name, IOException e) {
        lines.add(name + ": extended attributes unreadable, none kept: " + IoReasons.reason(e));
    }

    List<String> lines() {
        return lines;
    }
}
