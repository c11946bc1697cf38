package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.Unchanged;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 15 item 13: a frame the control port does not serve (a Data frame above all) closes the connection. */
class ControlPortFramesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"data", "unchanged"})
    void aFrameTheControlPortDoesNotServeGetsAnErrorAndAClose(String kind) throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.startServer();
            try (BlockingConnection c = TestPeers.dialServer(
                    p.server, "cli", Duration.ofSeconds(2), Duration.ofSeconds(30), ProtocolLimits.DEFAULT)) {
                c.send(kind.equals("data") ? new Data(new byte[100]) : new Unchanged("ab".repeat(32)));
                ErrorReply error = assertInstanceOf(ErrorReply.class, c.receive());
                assertEquals(ErrorCode.PROTOCOL, error.code());
                assertThrows(
                        IOException.class,
                        () -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                            c.receive();
                            return null;
                        }),
                        "the connection stayed open");
            }
            // and the listener serves the next client as before
            try (BlockingConnection c = TestPeers.dialServer(
                    p.server, "cli", Duration.ofSeconds(2), Duration.ofSeconds(30), ProtocolLimits.DEFAULT)) {
                c.send(new ListRequest());
                assertInstanceOf(TargetPage.class, c.receive());
            }
        }
    }
}
