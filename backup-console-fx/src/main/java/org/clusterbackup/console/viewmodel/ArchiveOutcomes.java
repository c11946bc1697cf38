package org.clusterbackup.console.viewmodel;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.client.LocalWriteException;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.VerifyResult;

/** What a manual run, Download… and Verify tell the user, in one line each. */
final class ArchiveOutcomes {
    private ArchiveOutcomes() {}

    /** {@code shop-12.tgz}: the backed-up directory's name and the archive id, as a file name to suggest. */
    static String fileName(TargetRow target, ArchiveInfo archive) {
        String path = target == null ? "" : target.info().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return (name.isEmpty() ? "archive" : name) + "-" + archive.id() + ".tgz";
    }

    static String downloaded(FetchResult result, Path file) {
        return "Downloaded archive " + result.id() + " to " + file + ": " + Display.size(result.sizeBytes())
                + ", sha256 " + result.sha256() + " checked";
    }

    /** Every failure leaves nothing behind (the download writes a file only once it checked out): say so. */
    static String downloadFailed(long archiveId, Path file, Exception failure) {
        String why;
        if (failure instanceof IntegrityException) {
            why = "the archive is damaged: " + failure.getMessage();
        } else if (failure instanceof RemoteErrorException r && r.code() == ErrorCode.INTEGRITY) {
            why = "the archive is damaged on the server: " + r.getMessage();
        } else if (failure instanceof RemoteErrorException r && r.code() == ErrorCode.NOT_FOUND) {
            why = r.getMessage(); // "no archive with id 12", "archive 12 was pruned by retention at …"
        } else if (failure instanceof LocalWriteException) {
            why = failure.getMessage();
        } else {
            why = ConsoleViewModel.reason(failure);
        }
        return "Download of archive " + archiveId + " failed, nothing written to " + file + ": " + why;
    }

    /** {@code 3 archives of node:port /path verified, all sound}, or which are damaged and why. */
    static String verifiedTarget(String label, List<VerifyResult> results) {
        if (results.isEmpty()) {
            return "No stored archives of " + label + " to verify";
        }
        List<VerifyResult> damaged = results.stream().filter(r -> !r.ok()).toList();
        String count = results.size() == 1 ? "1 archive" : results.size() + " archives";
        if (damaged.isEmpty()) {
            return count + " of " + label + " verified, " + (results.size() == 1 ? "sound" : "all sound");
        }
        return damaged.size() + " of " + count + " of " + label + " damaged: " + problems(damaged);
    }

    static String verifiedArchive(long archiveId, List<VerifyResult> results) {
        if (results.isEmpty()) {
            return "Archive " + archiveId + " is no longer stored: nothing to verify";
        }
        VerifyResult r = results.get(0);
        return r.ok()
                ? "Archive " + archiveId + " verified, sound"
                : "Archive " + archiveId + " is damaged: " + r.problem();
    }

    static boolean anyDamaged(List<VerifyResult> results) {
        return results.stream().anyMatch(r -> !r.ok());
    }

    private static String problems(List<VerifyResult> damaged) {
        return damaged.stream()
                .map(r -> "archive " + r.id() + ": " + r.problem())
                .collect(Collectors.joining("; "));
    }

    /** What travelled, when not the whole archive. */
    private static String transferNote(String transfer) {
        if ("DELTA".equals(transfer)) {
            return " (changes only)";
        }
        return "BLOCKS".equals(transfer) ? " (changed blocks only)" : "";
    }

    /** A manual run's outcome for the status bar; a STORED run says whether only the changes travelled. */
    static String run(String label, ExecutionInfo e) {
        String took = Formats.took(e.startedAt(), e.finishedAt());
        return switch (e.outcome()) {
            case STORED ->
                "Backup of " + label + ": STORED" + transferNote(e.transfer())
                        + ", " + e.files() + (e.files() != null && e.files() == 1 ? " file, " : " files, ")
                        + Display.size(e.bytesReceived()) + " received in " + took;
            case UNCHANGED ->
                "Backup of " + label + ": UNCHANGED since the last backup, " + Display.size(e.bytesReceived())
                        + " received in " + took;
            case FAILED -> "Backup of " + label + ": FAILED: " + e.error();
            case RUNNING -> "Backup of " + label + ": " + e.outcome();
        };
    }
}
