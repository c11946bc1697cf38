package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.protocol.ChangePage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "changes",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Lists what differs between a stored archive and the archive before it of the same target "
                    + "(added, removed, modified, metadata: mode, owner or mtime only), from their indexes.",
            "Exit 3 for an unknown or pruned archive, or when there is no earlier kept archive, or either has "
                    + "no usable index."
        })
final class ChangesCommand extends CtlCommand {
    @Option(names = "--id", required = true, paramLabel = "ARCHIVE_ID", description = "The archive (see backups).")
    long id;

    @Override
    int execute(BackupClient client) throws IOException {
        List<ChangePage.Change> changes = client.changes(id);
        if (json()) {
            Output.printJson(out(), changes.stream().map(ChangesCommand::json).toList());
            return 0;
        }
        Table table = new Table("CHANGE", "PATH");
        for (ChangePage.Change c : changes) {
            table.row(c.change(), c.path());
        }
        table.print(out());
        return 0;
    }

    static Map<String, Object> json(ChangePage.Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", c.path());
        m.put("change", c.change());
        return m;
    }
}
