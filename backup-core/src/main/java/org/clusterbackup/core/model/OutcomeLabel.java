package org.clusterbackup.core.model;

/**
 * How people see a run's outcome: {@code STORED}, {@code UNCHANGED}, {@code RUNNING}, or {@code FAILED} with
 * why in brackets — {@code FAILED (unreachable)}, {@code FAILED (refused)}, and in capitals
 * {@code FAILED (IDENTITY)}, the one failure that calls for an operator rather than patience (an agent's key
 * changed, or it does not trust this server). The CLI's tables and the console print the same words.
 */
public final class OutcomeLabel {
    private OutcomeLabel() {}

    /** The label, or null for no outcome. */
    public static String of(Outcome outcome, FailureKind kind) {
        if (outcome == null) {
            return null;
        }
        if (outcome != Outcome.FAILED || kind == null) {
            return outcome.name();
        }
        return switch (kind) {
            case UNREACHABLE -> "FAILED (unreachable)";
            case REFUSED -> "FAILED (refused)";
            case IDENTITY -> "FAILED (IDENTITY)";
            case OTHER -> "FAILED";
        };
    }

    /** Whether this outcome needs an operator to check an identity ({@code backupctl trust}). */
    public static boolean identity(Outcome outcome, FailureKind kind) {
        return outcome == Outcome.FAILED && kind == FailureKind.IDENTITY;
    }
}
