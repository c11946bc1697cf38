package org.clusterbackup.server.ctl;

import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import picocli.CommandLine.Option;

/** {@code --node H --path P [--port N]}: how a user names one target. */
final class TargetOptions {
    @Option(names = "--node", required = true, paramLabel = "H", description = "Node: host name or IP address.")
    String node;

    @Option(names = "--path", required = true, paramLabel = "P", description = "Absolute path on the node.")
    String path;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Agent port; needed only when several targets share node and path.")
    Integer port;

    /** The validated selector; throws {@code InvalidInputException} naming the bad value. */
    TargetSelector selector() {
        return new TargetSelector(
                NodeAddress.normalize(node),
                TargetPath.normalize(path),
                port == null ? null : NodeAddress.checkPort(port));
    }
}
