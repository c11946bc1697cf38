package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.net.ConnectionHandler;
import org.clusterbackup.core.protocol.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.TargetReply;
import org.clusterbackup.core.protocol.TargetSelector;
import org.clusterbackup.core.protocol.UnregisterRequest;

/**
 * Serves one control-plane connection (CLI or console). Requests are validated again here with the same
 * rules the clients use: the server trusts no client.
 */
final class ControlHandler implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(ControlHandler.class.getName());
    /** Targets per {@link TargetPage}; keeps every frame far below the JSON limit. */
    static final int PAGE_SIZE = 500;

    private final Connection connection;
    private final Catalog catalog;

    ControlHandler(Connection connection, Catalog catalog) {
        this.connection = connection;
        this.catalog = catalog;
    }

    @Override
    public void onMessage(Message message) throws IOException {
        try {
            if (message instanceof RegisterRequest r) {
                register(r);
            } else if (message instanceof UnregisterRequest u) {
                unregister(u);
            } else if (message instanceof ListRequest) {
                list();
            } else {
                connection.send(new ErrorReply(ErrorCode.PROTOCOL, "the server does not serve "
                        + message.getClass().getSimpleName() + " on its control port"));
            }
        } catch (InvalidInputException e) {
            connection.send(new ErrorReply(ErrorCode.BAD_REQUEST, e.getMessage()));
        } catch (RefusedException e) {
            connection.send(new ErrorReply(e.code(), e.getMessage()));
        }
    }

    private void register(RegisterRequest r) throws IOException {
        String node = NodeAddress.normalize(r.node());
        int port = NodeAddress.checkPort(r.port());
        String path = TargetPath.normalize(r.path());
        long every = Frequency.checkSeconds(r.everySeconds());
        Target t = catalog.register(node, port, path, every);
        LOG.log(Level.INFO, "[target {0}] registered {1} every {2}", t.id(), t.label(), Frequency.format(every));
        connection.send(new TargetReply(t.toInfo()));
    }

    private void unregister(UnregisterRequest u) throws IOException {
        Target t = catalog.unregister(selector(u.target()));
        LOG.log(Level.INFO, "[target {0}] unregistered {1}", t.id(), t.label());
        connection.send(new TargetReply(t.toInfo()));
    }

    private void list() throws IOException {
        List<TargetInfo> all = catalog.activeTargets().stream().map(Target::toInfo).toList();
        int from = 0;
        do {
            int to = Math.min(all.size(), from + PAGE_SIZE);
            connection.send(new TargetPage(all.subList(from, to), to == all.size()));
            from = to;
        } while (from < all.size());
    }

    static TargetSelector selector(TargetSelector s) {
        if (s == null) {
            throw new InvalidInputException("no target given: name one with node and path");
        }
        return new TargetSelector(NodeAddress.normalize(s.node()), TargetPath.normalize(s.path()),
                s.port() == null ? null : NodeAddress.checkPort(s.port()));
    }
}
