package org.clusterbackup.core.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why a request failed; clients map these to exit codes. */
public enum ErrorCode {
    /** The request itself is malformed or names an invalid value. */
    BAD_REQUEST,
    /** The named target, archive or execution does not exist. */
    NOT_FOUND,
    /** The target is already registered. */
    DUPLICATE,
    /** The selector matches several targets. */
    AMBIGUOUS,
    /** The peer understood the request and declines it by policy (e.g. a path outside the allow list). */
    REFUSED,
    /** The peer broke the wire protocol (bad frame, wrong version, unexpected message). */
    PROTOCOL,
    /** The peer is at its connection limit. */
    BUSY,
    /** The operation ran and failed (a backup run ended FAILED). */
    FAILED,
    /** Stored data does not match its recorded checksum. */
    INTEGRITY,
    /** The server could not reach the node an operation needed (restore). */
    UNREACHABLE,
    /** No valid token: missing, wrong or revoked (one generic message for all three). */
    UNAUTHORIZED,
    /** The token is valid but its role may not do this. */
    FORBIDDEN,
    /** An unexpected fault on the peer; its log has the details. */
    INTERNAL,
    /** A code from a newer peer that this version does not know. */
    @JsonEnumDefaultValue
    UNKNOWN
}
