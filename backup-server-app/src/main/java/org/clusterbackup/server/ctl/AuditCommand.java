package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Shows the audit trail, newest first: who ran, fetched, restored, verified, registered, "
                + "trusted or managed tokens, from where, and whether it was allowed.")
final class AuditCommand extends CtlCommand {
    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "At most N entries; 0 for all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int execute(BackupClient client) throws IOException {
        if (limit < 0) {
            throw new InvalidInputException("--limit " + limit + " cannot be negative");
        }
        SecurityOutput.audit(out(), client.audit(limit), json());
        return 0;
    }
}
