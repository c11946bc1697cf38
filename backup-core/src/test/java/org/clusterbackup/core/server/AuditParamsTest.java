package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.FetchRequest;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.RegisterBatchRequest;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.RestoreRequest;
import org.clusterbackup.core.protocol.TargetLine;
import org.junit.jupiter.api.Test;

/** The audit row's params, written straight to text, are the text the request's JSON tree printed before. */
class AuditParamsTest {
    @Test
    void paramsAreTheTextOfTheRequestsTree() {
        List<Message> requests = List.of(
                new FileFetchRequest(7, "dir/café \"quoted\" \\ tab\t line\n € 𝄞.txt"),
                new FetchRequest(Long.MAX_VALUE),
                new RegisterRequest("127.0.0.2", 7001, "/srv/data", 3600, null),
                new RegisterRequest("host", 1, "/p", 60, "SHA256:abc+/="),
                new RestoreRequest(3, "127.0.0.2", null, "/restore/here"),
                new LogRequest(
                        new TargetSelector("n", "/p", 7001),
                        50,
                        Instant.parse("2026-01-02T03:04:05.123456789Z"),
                        null,
                        Outcome.RUNNING,
                        -1L),
                new RegisterBatchRequest(
                        List.of(new TargetLine("n", 1, "/a", null), new TargetLine("m", 2, "/b", 60L))));
        for (Message m : requests) {
            assertEquals(Json.mapper().valueToTree(m).toString(), AccessControl.params(m), m.toString());
        }
    }
}
