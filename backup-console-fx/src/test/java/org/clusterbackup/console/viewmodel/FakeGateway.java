package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ChangePage;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.VerifyResult;
import org.clusterbackup.core.security.Fingerprint;

/**
 * A server in memory, for ViewModel tests: it keeps targets, archives and runs, refuses duplicates as the
 * real one does, can be made unreachable, and records every request it got.
 */
final class FakeGateway implements ServerGateway {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    final Map<Long, TargetInfo> targets = new LinkedHashMap<>();
    final Map<Long, List<ArchiveInfo>> archives = new LinkedHashMap<>();
    final List<ExecutionInfo> executions = new ArrayList<>();
    final List<String> requests = new ArrayList<>();
    boolean unreachable;
    /** The identity the server presents while it is not pinned; null: the console already trusts it. */
    Fingerprint unpinned;

    final List<Fingerprint> pinned = new ArrayList<>();
    /** The outcome of the next run: STORED, UNCHANGED or FAILED. */
    Outcome nextOutcome = Outcome.STORED;
    /** Archives whose file is damaged: a download fails its check, verify finds them. */
    final Set<Long> damaged = new HashSet<>();
    /** Bytes a download reports at a time. */
    int chunk = 1024;

    private long ids;

    TargetInfo add(String node, int port, String path) {
        long id = ++ids;
        TargetInfo t =
                new TargetInfo(id, node, port, path, 3600, T0, TargetState.SCHEDULED, T0.plusSeconds(3600), null, null);
        targets.put(id, t);
        return t;
    }

    ArchiveInfo archive(long targetId, long sizeBytes, Instant at) {
        List<ArchiveInfo> list = archives.computeIfAbsent(targetId, k -> new ArrayList<>());
        list.add(0, new ArchiveInfo(++ids, at, sizeBytes, 3, "ab".repeat(32), true, "/data/" + ids + ".tgz", false));
        return list.get(0);
    }

    /** Retention removed the archive's file. */
    void prune(long archiveId) {
        replace(
                archiveId,
                a -> new ArchiveInfo(a.id(), a.createdAt(), a.sizeBytes(), a.files(), a.sha256(), false, null, false));
    }

    void execution(long targetId, Outcome outcome, String error) {
        TargetInfo t = targets.get(targetId);
        executions.add(
                0,
                new ExecutionInfo(
                        ++ids,
                        targetId,
                        t.node(),
                        t.port(),
                        t.path(),
                        T0,
                        T0.plusSeconds(1),
                        outcome,
                        1234,
                        null,
                        3,
                        error,
                        List.of()));
    }

    @Override
    public List<TargetInfo> list() throws IOException {
        request("list");
        return List.copyOf(targets.values());
    }

    /**
     * Always the whole list, as a reset: this fake keeps no change stamps (the cursor's merging is
     * TargetsViewModelTest's, its server side core's TargetChangesTest's).
     */
    @Override
    public TargetChanges targetChanges(TargetCursor since, List<Long> recheck) throws IOException {
        return new TargetChanges(true, list(), List.of(), new TargetCursor("fake", 0));
    }

    @Override
    public List<ExecutionInfo> logPage(TargetSelector target, int limit, Long beforeId) throws IOException {
        request("log " + (target == null ? "all" : target.toString()));
        Long id = target == null ? null : find(target).id();
        return executions.stream()
                .filter(e -> id == null || e.targetId() == id)
                .filter(e -> beforeId == null || e.id() < beforeId)
                .limit(limit)
                .toList();
    }

    @Override
    public List<ArchiveInfo> backups(TargetSelector target) throws IOException {
        request("backups " + target);
        return List.copyOf(archives.getOrDefault(find(target).id(), List.of()));
    }

    @Override
    public List<ExecutionInfo> log(TargetSelector target, int limit) throws IOException {
        request("log " + (target == null ? "all" : target.toString()));
        Long id = target == null ? null : find(target).id();
        return executions.stream()
                .filter(e -> id == null || e.targetId() == id)
                .limit(limit)
                .toList();
    }

    @Override
    public TargetInfo register(String node, int port, String path, long everySeconds) throws IOException {
        request("register " + node + ":" + port + " " + path + " " + everySeconds);
        for (TargetInfo t : targets.values()) {
            if (t.node().equals(node) && t.port() == port && t.path().equals(path)) {
                throw new RemoteErrorException(new ErrorReply(
                        ErrorCode.DUPLICATE,
                        "target " + node + ":" + port + " " + path + " is already registered (id " + t.id() + ")"));
            }
        }
        TargetInfo t = add(node, port, path);
        t = new TargetInfo(t.id(), node, port, path, everySeconds, T0);
        targets.put(t.id(), t);
        return t;
    }

    @Override
    public TargetInfo unregister(TargetSelector target) throws IOException {
        request("unregister " + target);
        return targets.remove(find(target).id());
    }

    @Override
    public ExecutionInfo run(TargetSelector target) throws IOException {
        request("run " + target);
        TargetInfo t = find(target);
        String error =
                nextOutcome == Outcome.FAILED ? "path " + t.path() + " is outside the agent's --allow dirs" : null;
        execution(t.id(), nextOutcome, error);
        if (nextOutcome == Outcome.STORED) {
            archive(t.id(), 4096, T0.plusSeconds(60));
        }
        return executions.get(0);
    }

    /** Writes the archive's size in zeros, reporting progress a {@link #chunk} at a time, as the real one does. */
    @Override
    public FetchResult download(long archiveId, Path file, LongConsumer progress) throws IOException {
        request("download " + archiveId);
        ArchiveInfo a = stored(archiveId);
        if (damaged.contains(archiveId)) {
            throw new IntegrityException("archive " + archiveId + " arrived as " + a.sizeBytes() + " bytes with sha256 "
                    + "cd".repeat(32) + "; the catalog says " + a.sizeBytes() + " bytes with sha256 " + a.sha256());
        }
        long done = 0;
        while (done < a.sizeBytes()) {
            done = Math.min(a.sizeBytes(), done + chunk);
            progress.accept(done);
        }
        Files.write(file, new byte[(int) a.sizeBytes()]);
        return new FetchResult(archiveId, a.sizeBytes(), a.sha256());
    }

    /** Entries of an archive; an archive without any here has no index. */
    final Map<Long, List<FileInfo>> files = new LinkedHashMap<>();

    @Override
    public List<FileInfo> files(long archiveId) throws IOException {
        request("files " + archiveId);
        stored(archiveId);
        List<FileInfo> list = files.get(archiveId);
        if (list == null) {
            throw new RemoteErrorException(
                    new ErrorReply(
                            ErrorCode.NOT_FOUND,
                            "archive " + archiveId
                                    + " has no index: it was stored before archives were indexed (fetch and restore it whole)"));
        }
        return List.copyOf(list);
    }

    /** Changes of an archive against the one before it; an archive without any here has nothing before it. */
    final Map<Long, List<ChangePage.Change>> changes = new LinkedHashMap<>();

    @Override
    public List<ChangePage.Change> changes(long archiveId) throws IOException {
        request("changes " + archiveId);
        stored(archiveId);
        List<ChangePage.Change> list = changes.get(archiveId);
        if (list == null) {
            throw new RemoteErrorException(new ErrorReply(
                    ErrorCode.NOT_FOUND,
                    "archive " + archiveId
                            + " is the oldest kept archive of its target: there is nothing to compare it with"));
        }
        return List.copyOf(list);
    }

    /** Writes the file's content (its size in zeros), a {@link #chunk} at a time; a damaged archive refuses. */
    @Override
    public FetchResult downloadFile(long archiveId, String path, Path file, LongConsumer progress) throws IOException {
        request("download " + archiveId + " " + path);
        FileInfo f = files(archiveId).stream()
                .filter(x -> x.path().equals(path) && x.type().equals("file"))
                .findFirst()
                .orElseThrow(() -> new RemoteErrorException(
                        new ErrorReply(ErrorCode.NOT_FOUND, "archive " + archiveId + " has no regular file " + path)));
        if (damaged.contains(archiveId)) {
            throw new RemoteErrorException(new ErrorReply(
                    ErrorCode.INTEGRITY,
                    "archive " + archiveId + " is damaged: segment 2 has CRC-32 1234, 5678 was declared"));
        }
        long done = 0;
        while (done < f.sizeBytes()) {
            done = Math.min(f.sizeBytes(), done + chunk);
            progress.accept(done);
        }
        Files.write(file, new byte[(int) f.sizeBytes()]);
        return new FetchResult(archiveId, f.sizeBytes(), f.sha256());
    }

    @Override
    public List<VerifyResult> verifyTarget(TargetSelector target) throws IOException {
        request("verify " + target);
        List<VerifyResult> results = new ArrayList<>();
        for (ArchiveInfo a : List.copyOf(archives.getOrDefault(find(target).id(), List.of()))) {
            if (a.stored()) {
                results.add(check(a));
            }
        }
        return results;
    }

    @Override
    public List<VerifyResult> verifyArchive(long archiveId) throws IOException {
        request("verify archive " + archiveId);
        return List.of(check(stored(archiveId)));
    }

    private VerifyResult check(ArchiveInfo a) {
        boolean bad = damaged.contains(a.id());
        replace(
                a.id(),
                x -> new ArchiveInfo(
                        x.id(), x.createdAt(), x.sizeBytes(), x.files(), x.sha256(), x.stored(), x.file(), bad));
        return new VerifyResult(a.id(), !bad, bad ? "sha256 of " + a.file() + " is not the catalog's" : null);
    }

    private ArchiveInfo stored(long archiveId) throws RemoteErrorException {
        ArchiveInfo a = archives.values().stream()
                .flatMap(List::stream)
                .filter(x -> x.id() == archiveId)
                .findFirst()
                .orElseThrow(() -> new RemoteErrorException(
                        new ErrorReply(ErrorCode.NOT_FOUND, "no archive with id " + archiveId)));
        if (!a.stored()) {
            throw new RemoteErrorException(new ErrorReply(
                    ErrorCode.NOT_FOUND,
                    "archive " + archiveId + " was pruned by retention at 2026-01-02T04:00:00Z; its file is gone"));
        }
        return a;
    }

    private void replace(long archiveId, UnaryOperator<ArchiveInfo> change) {
        for (List<ArchiveInfo> list : archives.values()) {
            list.replaceAll(a -> a.id() == archiveId ? change.apply(a) : a);
        }
    }

    private TargetInfo find(TargetSelector s) throws RemoteErrorException {
        return targets.values().stream()
                .filter(t -> t.node().equals(s.node())
                        && t.path().equals(s.path())
                        && (s.port() == null || s.port() == t.port()))
                .min(Comparator.comparingLong(TargetInfo::id))
                .orElseThrow(() -> new RemoteErrorException(new ErrorReply(ErrorCode.NOT_FOUND, "no target " + s)));
    }

    @Override
    public void pinServer(HostPort server, Fingerprint identity) {
        pinned.add(identity);
        unpinned = null;
    }

    private void request(String what) throws IOException {
        if (unpinned != null) {
            throw new UnknownServerException(new HostPort("127.0.0.1", 7070), unpinned, null);
        }
        if (unreachable) {
            throw new UnreachableException(
                    "cannot reach the server 127.0.0.1:7070: connection refused " + "(is backup-server running there?)",
                    new ConnectException("Connection refused"));
        }
        requests.add(what);
    }
}
