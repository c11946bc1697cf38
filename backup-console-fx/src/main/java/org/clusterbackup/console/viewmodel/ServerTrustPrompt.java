package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.security.Fingerprint;

/**
 * The console's side of trust on first use: a server whose identity is not pinned is shown in a dialog, and
 * pinned only when the user confirms. A declined identity is not asked about again on every refresh; it
 * stays refused (the status line says why) until the console connects again.
 */
final class ServerTrustPrompt {
    private final Dialogs dialogs;
    private Fingerprint declined;

    ServerTrustPrompt(Dialogs dialogs) {
        this.dialogs = dialogs;
    }

    /**
     * @return true when the user trusted the server and its identity is now pinned: connect again
     * @throws IOException the pin could not be written
     */
    boolean offer(Exception failure, ServerGateway gateway) throws IOException {
        if (!(failure instanceof UnknownServerException unknown)
                || unknown.presented().equals(declined)) {
            return false;
        }
        boolean trusted = dialogs.confirm(
                "Unknown server",
                "Trust the server " + unknown.server() + "?",
                "It presents the identity\n" + unknown.presented() + "\nwhich is not pinned on this computer. Compare "
                        + "it with what `backup-server fingerprint` prints on the server before trusting it.",
                "Trust this server");
        if (!trusted) {
            declined = unknown.presented();
            return false;
        }
        gateway.pinServer(unknown.server(), unknown.presented());
        return true;
    }

    /** A new connection asks again. */
    void reset() {
        declined = null;
    }
}
