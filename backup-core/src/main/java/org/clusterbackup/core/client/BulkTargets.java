package org.clusterbackup.core.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.RegisterBatchReply;
import org.clusterbackup.core.protocol.RegisterBatchRequest;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.protocol.UnregisterBatchReply;
import org.clusterbackup.core.protocol.UnregisterBatchRequest;

/**
 * Registers or unregisters many targets over one connection, in batches the server applies one catalog
 * transaction each. If the conversation breaks, the batches answered so far are in the catalog and the one in
 * flight is either wholly in or wholly out; sending the same targets again is safe: targets already registered
 * with the same frequency count as unchanged, ones already gone as not found.
 */
public final class BulkTargets {
    /** Targets per request: well inside {@link RegisterBatchRequest#MAX_TARGETS} and the frame limit. */
    public static final int DEFAULT_BATCH = 500;
    /** JSON bytes of targets per request: the server's request limit less room for the envelope. */
    static final long BATCH_BYTES = PeerLimits.CONTROL_REQUESTS.maxJsonPayload() - 1024;

    private final BackupClient client;
    private final int batchSize;

    public BulkTargets(BackupClient client, int batchSize) {
        this.client = Objects.requireNonNull(client, "client");
        if (batchSize < 1 || batchSize > RegisterBatchRequest.MAX_TARGETS) {
            throw new IllegalArgumentException(
                    "batch size must be 1.." + RegisterBatchRequest.MAX_TARGETS + ": " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public BulkTargets(BackupClient client) {
        this(client, DEFAULT_BATCH);
    }

    /** Registers every target (each with its frequency); the counts are summed over the batches. */
    public RegisterBatchReply register(List<TargetLine> targets) throws IOException {
        return client.call(c -> {
            int registered = 0;
            int reactivated = 0;
            int unchanged = 0;
            for (List<TargetLine> batch : batches(targets)) {
                c.send(new RegisterBatchRequest(batch));
                RegisterBatchReply r = c.expect(RegisterBatchReply.class);
                registered += r.registered();
                reactivated += r.reactivated();
                unchanged += r.unchanged();
            }
            return new RegisterBatchReply(registered, reactivated, unchanged);
        });
    }

    /**
     * The targets cut into batches of at most {@link #batchSize} targets and {@link #BATCH_BYTES} bytes of
     * JSON: the server takes no request frame over {@link PeerLimits#CONTROL_REQUESTS}, and long paths
     * reach that before the count does.
     */
    List<List<TargetLine>> batches(List<TargetLine> targets) {
        List<List<TargetLine>> batches = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < targets.size(); i++) {
            long size = jsonSize(targets.get(i));
            if (i > from && (i - from == batchSize || bytes + size > BATCH_BYTES)) {
                batches.add(targets.subList(from, i));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (from < targets.size()) {
            batches.add(targets.subList(from, targets.size()));
        }
        return batches;
    }

    private static long jsonSize(TargetLine t) {
        try {
            return Json.mapper().writeValueAsBytes(t).length + 1L; // and its comma
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a target line is plain JSON", e);
        }
    }

    /** Unregisters every target (named exactly by node, port and path); the counts are summed over the batches. */
    public UnregisterBatchReply unregister(List<TargetLine> targets) throws IOException {
        return client.call(c -> {
            int unregistered = 0;
            int notFound = 0;
            for (List<TargetLine> batch : batches(targets)) {
                c.send(new UnregisterBatchRequest(batch));
                UnregisterBatchReply r = c.expect(UnregisterBatchReply.class);
                unregistered += r.unregistered();
                notFound += r.notFound();
            }
            return new UnregisterBatchReply(unregistered, notFound);
        });
    }
}
