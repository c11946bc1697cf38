package org.clusterbackup.core.protocol;

/**
 * Everything that crosses the wire, on both planes; {@link MessageType} maps each record to its frame
 * type byte. Java 17 does not check a {@code switch} over a sealed interface for completeness (pattern
 * switches came in 21), so a plane dispatches with a switch expression over {@link MessageType}, which the
 * compiler does check, and {@code MessageTypeTest} proves that every message has its type.
 */
public sealed interface Message
        permits Hello, ErrorReply, KeepAlive, Data,
                RegisterRequest, UnregisterRequest, ListRequest, TargetReply, TargetPage,
                RunRequest, BackupsRequest, LogRequest, ArchivePage, ExecutionPage, ExecutionReply,
                FetchRequest, VerifyRequest, VerifyPage, RestoreRequest, RestoreReply,
                FilesRequest, FilePage, FileFetchRequest, ChangesRequest, ChangePage,
                TrustRequest, TrustReply, TokenCreateRequest, TokenCreated, TokenListRequest, TokenPage,
                TokenRevokeRequest, TokenRevoked, AuditRequest, AuditPage,
                BackupRequest, Unchanged, ArchiveBegin, ArchiveEnd,
                RestoreBegin, RestoreReady, RestoreEnd, RestoreDone, Segment, ScanProgress,
                DeltaBegin, DeltaRemoved, DeltaEnd, BlocksBegin,
                ServersRequest, ServerPage,
                RegisterBatchRequest, RegisterBatchReply, UnregisterBatchRequest, UnregisterBatchReply {
}
