package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.protocol.RestoreReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Extracts a stored archive into DIR on a node, through that node's agent.",
            "DIR must be absent or empty and inside one of the agent's --restore-root directories. The tree "
                    + "appears whole or not at all. Exit 3 refused, 4 node or server unreachable, 5 broke off."
        })
final class RestoreCommand extends CtlCommand {
    @Option(names = "--id", required = true, paramLabel = "ARCHIVE_ID", description = "The archive (see backups).")
    long id;

    @Option(names = "--node", paramLabel = "H", description = "Node to restore on. Default: the archive's own node.")
    String node;

    @Option(names = "--port", paramLabel = "N", description = "That node's agent port. Default: the archive's own.")
    Integer port;

    @Option(names = "--target", required = true, paramLabel = "DIR", description = "Absolute directory on the node.")
    String target;

    @Override
    int execute(BackupClient client) throws IOException {
        RestoreReply r;
        try (Progress progress = progress("restoring archive " + id + " into " + target)) {
            r = client.restore(
                    id,
                    node == null ? null : NodeAddress.normalize(node),
                    port == null ? null : NodeAddress.checkPort(port),
                    TargetPath.normalize(target));
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("node", r.node());
            m.put("port", r.port());
            m.put("target", r.target());
            m.put("files", r.files());
            m.put("bytes", r.bytes());
            m.put("warnings", r.warnings());
            Output.printJson(out(), m);
        } else {
            out().println("archive " + r.id() + " restored on " + r.node() + ":" + r.port() + " into " + r.target()
                    + ": " + r.files() + " files, " + Display.size(r.bytes()));
            for (String warning : r.warnings()) {
                out().println("warning: " + warning);
            }
        }
        return 0;
    }
}
