package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Re-reads stored archives on the server: size and sha256 against the catalog, then a full "
                    + "gzip and tar parse.",
            "A damaged archive is marked corrupt, and the next run of its target "
                    + "stores a fresh backup. Exit 6 if any archive is damaged."
        })
final class VerifyCommand extends CtlCommand {
    @Option(names = "--id", paramLabel = "ARCHIVE_ID", description = "One archive.")
    Long id;

    @Option(names = "--node", paramLabel = "H", description = "With --path: every kept archive of that target.")
    String node;

    @Option(names = "--path", paramLabel = "P", description = "With --node: every kept archive of that target.")
    String path;

    @Option(names = "--port", paramLabel = "N", description = "Agent port, when several targets share node and path.")
    Integer port;

    @Option(names = "--all", description = "Every kept archive of every target.")
    boolean all;

    @Override
    int execute(BackupClient client) throws IOException {
        TargetSelector target = null;
        if (node != null || path != null || port != null) {
            if (node == null || path == null) {
                throw new InvalidInputException("give both --node and --path to select a target");
            }
            target = new TargetSelector(
                    NodeAddress.normalize(node),
                    TargetPath.normalize(path),
                    port == null ? null : NodeAddress.checkPort(port));
        }
        int scopes = (id != null ? 1 : 0) + (target != null ? 1 : 0) + (all ? 1 : 0);
        if (scopes != 1) {
            throw new InvalidInputException("give exactly one of --id ARCHIVE_ID, --node H --path P, or --all");
        }
        List<VerifyResult> results = client.verify(id, target, all);
        if (json()) {
            Output.printJson(
                    out(),
                    results.stream()
                            .map(r -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("id", r.id());
                                m.put("ok", r.ok());
                                m.put("problem", r.problem());
                                return m;
                            })
                            .toList());
        } else if (results.isEmpty()) {
            out().println("no stored archives to verify");
        } else {
            Table table = new Table("ID", "OK", "PROBLEM");
            results.forEach(r -> table.row(r.id(), r.ok() ? "ok" : "DAMAGED", r.problem()));
            table.print(out());
        }
        long damaged = results.stream().filter(r -> !r.ok()).count();
        if (damaged > 0) {
            return fail(Cli.EXIT_INTEGRITY, damaged + " of " + results.size() + " archives are damaged");
        }
        return 0;
    }
}
