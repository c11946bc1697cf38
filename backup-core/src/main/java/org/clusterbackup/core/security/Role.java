package org.clusterbackup.core.security;

import java.util.Locale;
import org.clusterbackup.core.model.InvalidInputException;

/** What a token may do; each role may do everything the ones before it may. */
public enum Role {
    /** Metadata only: list, backups, log, files, changes, audit. */
    VIEWER,
    /** Also what reads or writes archive data: run, fetch, restore, verify. */
    OPERATOR,
    /** Also what changes who and what is backed up: register, unregister, trust, token. */
    ADMIN;

    /** The name as users type it and the catalog keeps it: {@code viewer}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** @throws InvalidInputException not one of viewer, operator, admin */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.label().equals(text)) {
                return r;
            }
        }
        throw new InvalidInputException("role '" + text + "' is not one of viewer, operator, admin");
    }
}
