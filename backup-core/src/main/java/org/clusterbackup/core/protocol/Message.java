package org.clusterbackup.core.protocol;

/**
 * Everything that crosses the wire, on both planes. The set is closed so that a {@code switch} over
 * messages is checked for completeness by the compiler; {@link MessageType} maps each record to its
 * frame type byte.
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
                DeltaBegin, DeltaRemoved, DeltaEnd, BlocksBegin {
}
