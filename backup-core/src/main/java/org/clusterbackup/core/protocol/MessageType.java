package org.clusterbackup.core.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * The frame type byte of each message. Numbers are part of the wire format: never reuse or renumber one.
 * 1–9 are common to both planes, 10–49 the control plane, 50–99 the data plane.
 */
public enum MessageType {
    HELLO(1, Hello.class, Payload.JSON),
    ERROR(2, ErrorReply.class, Payload.JSON),
    KEEP_ALIVE(3, KeepAlive.class, Payload.EMPTY),
    DATA(4, Data.class, Payload.RAW),

    REGISTER(10, RegisterRequest.class, Payload.JSON),
    UNREGISTER(11, UnregisterRequest.class, Payload.JSON),
    LIST(12, ListRequest.class, Payload.JSON),
    TARGET(13, TargetReply.class, Payload.JSON),
    TARGET_PAGE(14, TargetPage.class, Payload.JSON),
    RUN(15, RunRequest.class, Payload.JSON),
    BACKUPS(16, BackupsRequest.class, Payload.JSON),
    LOG(17, LogRequest.class, Payload.JSON),
    ARCHIVE_PAGE(18, ArchivePage.class, Payload.JSON),
    EXECUTION_PAGE(19, ExecutionPage.class, Payload.JSON),
    EXECUTION(20, ExecutionReply.class, Payload.JSON),
    FETCH(21, FetchRequest.class, Payload.JSON),
    VERIFY(22, VerifyRequest.class, Payload.JSON),
    VERIFY_PAGE(23, VerifyPage.class, Payload.JSON),
    RESTORE(24, RestoreRequest.class, Payload.JSON),
    RESTORE_REPLY(25, RestoreReply.class, Payload.JSON),
    FILES(26, FilesRequest.class, Payload.JSON),
    FILE_PAGE(27, FilePage.class, Payload.JSON),
    FILE_FETCH(28, FileFetchRequest.class, Payload.JSON),
    CHANGES(29, ChangesRequest.class, Payload.JSON),
    CHANGE_PAGE(30, ChangePage.class, Payload.JSON),
    // Security: 40–49.
    TRUST(40, TrustRequest.class, Payload.JSON),
    TRUST_REPLY(41, TrustReply.class, Payload.JSON),
    TOKEN_CREATE(42, TokenCreateRequest.class, Payload.JSON),
    TOKEN_CREATED(43, TokenCreated.class, Payload.JSON),
    TOKEN_LIST(44, TokenListRequest.class, Payload.JSON),
    TOKEN_PAGE(45, TokenPage.class, Payload.JSON),
    TOKEN_REVOKE(46, TokenRevokeRequest.class, Payload.JSON),
    TOKEN_REVOKED(47, TokenRevoked.class, Payload.JSON),
    AUDIT(48, AuditRequest.class, Payload.JSON),
    AUDIT_PAGE(49, AuditPage.class, Payload.JSON),

    BACKUP(50, BackupRequest.class, Payload.JSON),
    UNCHANGED(51, Unchanged.class, Payload.JSON),
    ARCHIVE_BEGIN(52, ArchiveBegin.class, Payload.JSON),
    ARCHIVE_END(53, ArchiveEnd.class, Payload.JSON),
    RESTORE_BEGIN(54, RestoreBegin.class, Payload.JSON),
    RESTORE_READY(55, RestoreReady.class, Payload.JSON),
    RESTORE_END(56, RestoreEnd.class, Payload.JSON),
    RESTORE_DONE(57, RestoreDone.class, Payload.JSON),
    SEGMENT(58, Segment.class, Payload.JSON),
    // 64, not the next free number: other data-plane messages being added at the same time take 59 onwards.
    SCAN_PROGRESS(64, ScanProgress.class, Payload.JSON),
    // 70 onwards: numbers other data-plane messages being added at the same time are unlikely to take.
    DELTA_BEGIN(70, DeltaBegin.class, Payload.JSON),
    DELTA_REMOVED(71, DeltaRemoved.class, Payload.JSON),
    DELTA_END(72, DeltaEnd.class, Payload.JSON),
    BLOCKS_BEGIN(73, BlocksBegin.class, Payload.JSON),
    // Control plane, the cluster.
    SERVERS(31, ServersRequest.class, Payload.JSON),
    SERVER_PAGE(32, ServerPage.class, Payload.JSON),
    // The targets' change cursor (control plane): 33–34, the free numbers below the security block.
    TARGET_CHANGES(33, TargetChangesRequest.class, Payload.JSON),
    TARGET_CHANGE_PAGE(34, TargetChangePage.class, Payload.JSON),
    // Bulk registration (control plane): 36–39, leaving 31–35 to control messages added at the same time.
    REGISTER_BATCH(36, RegisterBatchRequest.class, Payload.JSON),
    REGISTER_BATCH_REPLY(37, RegisterBatchReply.class, Payload.JSON),
    UNREGISTER_BATCH(38, UnregisterBatchRequest.class, Payload.JSON),
    UNREGISTER_BATCH_REPLY(39, UnregisterBatchReply.class, Payload.JSON);

    /** How a frame's payload is encoded. */
    public enum Payload {
        JSON,
        RAW,
        EMPTY
    }

    private static final MessageType[] BY_CODE = new MessageType[256];
    private static final Map<Class<? extends Message>, MessageType> BY_CLASS = new HashMap<>();

    static {
        for (MessageType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new ExceptionInInitializerError("frame type " + t.code + " used twice");
            }
            BY_CODE[t.code] = t;
            BY_CLASS.put(t.type, t);
        }
    }

    private final int code;
    private final Class<? extends Message> type;
    private final Payload payload;

    MessageType(int code, Class<? extends Message> type, Payload payload) {
        this.code = code;
        this.type = type;
        this.payload = payload;
    }

    public int code() {
        return code;
    }

    public Class<? extends Message> messageClass() {
        return type;
    }

    public Payload payload() {
        return payload;
    }

    /** The type for a frame type byte, or {@code null} if the byte names no known type. */
    public static MessageType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public static MessageType of(Message message) {
        MessageType t = BY_CLASS.get(message.getClass());
        if (t == null) {
            throw new IllegalStateException(
                    "no frame type for " + message.getClass().getName());
        }
        return t;
    }
}
