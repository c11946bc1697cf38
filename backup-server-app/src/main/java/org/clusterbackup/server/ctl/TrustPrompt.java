package org.clusterbackup.server.ctl;

import java.io.Console;
import org.clusterbackup.core.client.UnknownServerException;

/**
 * Asks the person at the terminal whether an unknown server's identity is the one its operator sees, SSH
 * style. Without a terminal (a script, a pipe, closed stdin) the answer is no: a server is never trusted
 * because nobody was there to refuse it.
 */
final class TrustPrompt {
    private TrustPrompt() {}

    static boolean ask(UnknownServerException unknown) {
        Console terminal = System.console();
        if (terminal == null) {
            return false;
        }
        terminal.printf(
                "The server %s presents the identity%n  %s%nwhich is not pinned here. Compare it with what "
                        + "`backup-server fingerprint` prints on the server.%n",
                unknown.server(), unknown.presented());
        String answer = terminal.readLine("Trust this server from now on? (yes/no) ");
        return answer != null && answer.strip().equalsIgnoreCase("yes");
    }
}
