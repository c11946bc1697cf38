package org.clusterbackup.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {
    private static final ProtocolLimits LIMITS = ProtocolLimits.DEFAULT;

    /** One sample of every message type; the test below fails when a type is added without a sample. */
    static Stream<Message> everyMessageType() {
        TargetInfo info =
                new TargetInfo(7, "127.0.0.2", 7071, "/srv/app", 300, Instant.parse("2026-01-02T03:04:05.123Z"));
        ExecutionInfo execution = new ExecutionInfo(
                9,
                7,
                "127.0.0.2",
                7071,
                "/srv/app",
                Instant.parse("2026-01-02T03:04:05.123Z"),
                null,
                Outcome.RUNNING,
                0,
                null,
                null,
                null,
                List.of());
        return Stream.of(
                new Hello(ProtocolLimits.PROTOCOL_VERSION, "cli"),
                new Hello(ProtocolLimits.PROTOCOL_VERSION, "cli", "cbt_secret"),
                new ErrorReply(ErrorCode.DUPLICATE, "target 127.0.0.2:7071 /srv/app is already registered"),
                KeepAlive.INSTANCE,
                new Data(new byte[] {0, 1, 2, (byte) 255}),
                new RegisterRequest("127.0.0.2", 7071, "/srv/app", 300),
                new RegisterRequest("127.0.0.2", 7071, "/srv/app", 300, "SHA256:" + "A".repeat(43)),
                new UnregisterRequest(new TargetSelector("127.0.0.2", "/srv/app", null)),
                new ListRequest(),
                new TargetReply(info),
                new TargetPage(List.of(info, info), true),
                new TargetPage(
                        List.of(new TargetInfo(
                                7,
                                "127.0.0.2",
                                7071,
                                "/srv/app",
                                300,
                                info.registeredAt(),
                                null,
                                null,
                                null,
                                null,
                                null,
                                "backup-a")),
                        true),
                new ServersRequest(),
                new ServerPage(
                        List.of(new ServerInfo(
                                "backup-a", "10.0.0.5:7070", 12, Instant.parse("2026-01-02T03:04:05.123Z"))),
                        true),
                new RunRequest(new TargetSelector("127.0.0.2", "/srv/app", 7071)),
                new BackupsRequest(new TargetSelector("127.0.0.2", "/srv/app", null)),
                new LogRequest(null, 100),
                new LogRequest(
                        new TargetSelector("127.0.0.2", "/srv/app", null),
                        0,
                        Instant.parse("2026-01-02T03:04:05.123Z"),
                        Instant.parse("2026-01-03T03:04:05.123Z"),
                        Outcome.FAILED,
                        41L),
                new TargetChangesRequest(new TargetCursor("run-1", 17), List.of(3L, 4L)),
                new TargetChangesRequest(null, null),
                new TargetChangePage(
                        false,
                        List.of(new TargetInfo(
                                3, "127.0.0.2", 7071, "/srv/app", 300, Instant.parse("2026-01-02T03:04:05.123Z"))),
                        List.of(9L),
                        new TargetCursor("run-1", 18),
                        true),
                new TargetChangePage(true, List.of(), List.of(), null, false),
                new RegisterBatchRequest(List.of(new TargetLine("127.0.0.2", 7071, "/srv/app", 300L))),
                new RegisterBatchReply(1, 2, 3),
                new UnregisterBatchRequest(List.of(new TargetLine("127.0.0.2", 7071, "/srv/app", null))),
                new UnregisterBatchReply(4, 5),
                new ArchivePage(
                        List.of(new ArchiveInfo(
                                3,
                                Instant.parse("2026-01-02T03:04:05.123Z"),
                                1234,
                                5,
                                "ab".repeat(32),
                                true,
                                "/data/archives/7/3.tgz",
                                false)),
                        false),
                new ExecutionPage(List.of(execution), true),
                new ExecutionReply(execution),
                new FetchRequest(3),
                new VerifyRequest(null, new TargetSelector("127.0.0.2", "/srv/app", null), false),
                new VerifyPage(List.of(new VerifyResult(3, false, "sha256 mismatch")), true),
                new RestoreRequest(3, null, null, "/srv/restored"),
                new RestoreReply(3, "127.0.0.2", 7071, "/srv/restored", 12, 4096),
                new FilesRequest(3),
                new FilePage(
                        List.of(
                                new FileInfo(
                                        "etc/app.conf",
                                        "file",
                                        120,
                                        0644,
                                        Instant.parse("2026-01-02T03:04:05.123Z"),
                                        "ab".repeat(32),
                                        null),
                                new FileInfo(
                                        "current",
                                        "symlink",
                                        0,
                                        0777,
                                        Instant.parse("2026-01-02T03:04:05Z"),
                                        null,
                                        "releases/7")),
                        true),
                new FileFetchRequest(3, "etc/app.conf"),
                new ChangesRequest(3),
                new ChangePage(
                        List.of(new ChangePage.Change("a/b.txt", "modified"), new ChangePage.Change("c", "removed")),
                        true),
                new TrustRequest("127.0.0.2", 7071, "SHA256:" + "A".repeat(43)),
                new TrustReply("127.0.0.2", 7071, "SHA256:" + "A".repeat(43)),
                new TokenCreateRequest("ci", "operator"),
                new TokenCreated("ci", "operator", "cbt_secret", Instant.parse("2026-01-02T03:04:05.123Z")),
                new TokenListRequest(),
                new TokenPage(
                        List.of(new TokenInfo("ci", "operator", Instant.parse("2026-01-02T03:04:05.123Z"), null)),
                        true),
                new TokenRevokeRequest("ci"),
                new TokenRevoked("ci", Instant.parse("2026-01-02T03:04:05.123Z")),
                new AuditRequest(100),
                new AuditPage(
                        List.of(new AuditEntry(
                                1,
                                Instant.parse("2026-01-02T03:04:05.123Z"),
                                "admin",
                                "127.0.0.1:5000",
                                "run",
                                Json.mapper().createObjectNode().put("node", "127.0.0.2"),
                                true,
                                null)),
                        true),
                new RestoreBegin("/srv/restored", 1234, "ab".repeat(32)),
                new RestoreReady(),
                new RestoreEnd(),
                new RestoreDone(12, 4096, List.of()),
                new BackupRequest("/srv/app", null, 6),
                new BackupRequest("/srv/app", "ab".repeat(32), 6, true),
                new BackupRequest("/srv/app", "ab".repeat(32), 6, true, true),
                new DeltaBegin("ab".repeat(32), 12),
                new BlocksBegin("ab".repeat(32), 12),
                new DeltaRemoved(List.of("old/file.txt", "gone")),
                new DeltaEnd(2048, "ab".repeat(32), "cd".repeat(32), 5, List.of()),
                new Unchanged("cd".repeat(32)),
                new ArchiveBegin(12),
                new Segment(1_048_576, 300_000, 0xFFFF_FFFFL),
                new ScanProgress(12_345),
                new ArchiveEnd(1234, "ab".repeat(32), "cd".repeat(32), 5, List.of("skipped fifo logs/pipe")));
    }

    @Test
    void everyMessageTypeHasASample() {
        assertEquals(
                MessageType.values().length,
                everyMessageType().map(MessageType::of).distinct().count());
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyMessageTypeRoundTrips(Message message) throws Exception {
        assertEquals(List.of(message), decodeAll(FrameEncoder.encode(message, LIMITS)));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void aFrameFedOneByteAtATimeDecodes(Message message) throws Exception {
        ByteBuffer frame = FrameEncoder.encode(message, LIMITS);
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        List<Message> out = new ArrayList<>();
        while (frame.hasRemaining()) {
            decoder.decode(ByteBuffer.wrap(new byte[] {frame.get()}), out::add);
        }
        assertEquals(List.of(message), out);
        assertTrue(decoder.isIdle());
    }

    @Test
    void severalFramesInOneBufferDecodeInOrder() throws Exception {
        List<Message> all = everyMessageType().toList();
        ByteBuffer joined = ByteBuffer.allocate(1 << 16);
        for (Message m : all) {
            joined.put(FrameEncoder.encode(m, LIMITS));
        }
        joined.flip();
        assertEquals(all, decodeAll(joined));
    }

    @Test
    void timesTravelAsIsoStringsWithMillis() throws Exception {
        ByteBuffer frame = FrameEncoder.encode(
                new TargetReply(new TargetInfo(1, "n", 1, "/p", 60, Instant.parse("2026-01-02T03:04:05.120Z"))),
                LIMITS);
        String json = new String(
                frame.array(),
                FrameDecoder.HEADER_BYTES,
                frame.limit() - FrameDecoder.HEADER_BYTES,
                StandardCharsets.UTF_8);
        assertTrue(json.contains("\"registeredAt\":\"2026-01-02T03:04:05.120Z\""), json);
    }

    @Test
    void aFrameOverTheLimitIsRejectedFromItsHeader() {
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        // Announces 2 GiB of JSON; only the header is sent. No buffer of that size may be made.
        ByteBuffer header = ByteBuffer.allocate(5)
                .putInt(Integer.MAX_VALUE)
                .put((byte) MessageType.LIST.code())
                .flip();
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(header, m -> {}));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void aDataFrameOverTheDataLimitIsRejected() {
        ByteBuffer header = ByteBuffer.allocate(5)
                .putInt(LIMITS.maxDataPayload() + 2)
                .put((byte) MessageType.DATA.code())
                .flip();
        assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(header, m -> {}));
    }

    @Test
    void aKeepAliveWithAPayloadIsRejected() {
        ByteBuffer frame = ByteBuffer.allocate(6)
                .putInt(2)
                .put((byte) MessageType.KEEP_ALIVE.code())
                .put((byte) 1)
                .flip();
        assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(frame, m -> {}));
    }

    @Test
    void anUnknownTypeIsAProtocolError() {
        ByteBuffer frame = ByteBuffer.allocate(5).putInt(1).put((byte) 200).flip();
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(frame, m -> {}));
        assertTrue(e.getMessage().contains("unknown frame type 200"), e.getMessage());
    }

    @Test
    void aZeroLengthFrameIsAProtocolError() {
        ByteBuffer frame = ByteBuffer.allocate(5).putInt(0).put((byte) 1).flip();
        assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(frame, m -> {}));
    }

    @Test
    void truncatedJsonIsAProtocolError() {
        byte[] json = "{\"node\":\"a\",\"port\":1,\"pa".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(5 + json.length)
                .putInt(json.length + 1)
                .put((byte) MessageType.REGISTER.code())
                .put(json)
                .flip();
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(frame, m -> {}));
        assertTrue(e.getMessage().startsWith("malformed REGISTER payload"), e.getMessage());
    }

    @Test
    void aBackupRequestFromAnOlderServerHasNoLevelAndMeansTheDefault() throws Exception {
        byte[] json = "{\"path\":\"/srv/app\",\"baseDigest\":null}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(5 + json.length)
                .putInt(json.length + 1)
                .put((byte) MessageType.BACKUP.code())
                .put(json)
                .flip();

        BackupRequest request = (BackupRequest) decodeAll(frame).get(0);

        assertEquals(null, request.compressionLevel());
        assertEquals(BackupRequest.DEFAULT_COMPRESSION_LEVEL, request.effectiveCompressionLevel());
        assertEquals(9, new BackupRequest("/p", null, 9).effectiveCompressionLevel());
        assertEquals(
                BackupRequest.DEFAULT_COMPRESSION_LEVEL, new BackupRequest("/p", null, 0).effectiveCompressionLevel());
    }

    @Test
    void jsonOfTheWrongShapeIsAProtocolError() {
        for (String bad : List.of(
                "null", "[]", "42", "{\"protocolVersion\":\"x\",\"role\":\"cli\"}", "{\"protocolVersion\":1}")) {
            byte[] json = bad.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(5 + json.length)
                    .putInt(json.length + 1)
                    .put((byte) MessageType.HELLO.code())
                    .put(json)
                    .flip();
            assertThrows(ProtocolException.class, () -> new FrameDecoder(LIMITS).decode(frame, m -> {}), bad);
        }
    }

    @Test
    void randomGarbageGivesAProtocolErrorAndNothingElse() {
        // Any other exception escapes the loop and fails the test; a frame prefix may still be waiting.
        Random random = new Random(42);
        int errors = 0;
        for (int round = 0; round < 500; round++) {
            byte[] garbage = new byte[1 + random.nextInt(4096)];
            random.nextBytes(garbage);
            try {
                new FrameDecoder(LIMITS).decode(ByteBuffer.wrap(garbage), m -> {});
            } catch (ProtocolException expected) {
                errors++;
            }
        }
        assertTrue(errors > 450, "only " + errors + " of 500 garbage inputs were rejected");
    }

    @Test
    void afterAnErrorTheDecoderRefusesMoreInput() {
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        ByteBuffer bad = ByteBuffer.allocate(5).putInt(1).put((byte) 250).flip();
        assertThrows(ProtocolException.class, () -> decoder.decode(bad, m -> {}));
        assertThrows(ProtocolException.class, () -> decoder.decode(ByteBuffer.wrap(new byte[] {0}), m -> {}));
    }

    @Test
    void dataPayloadIsCarriedRaw() throws Exception {
        byte[] bytes = new byte[ProtocolLimits.DATA_CHUNK];
        new Random(1).nextBytes(bytes);
        ByteBuffer frame = FrameEncoder.encode(new Data(bytes), LIMITS);
        assertEquals(FrameDecoder.HEADER_BYTES + bytes.length, frame.remaining());
        assertArrayEquals(bytes, Arrays.copyOfRange(frame.array(), 5, frame.limit()));
    }

    @Test
    void encodingAMessageOverTheLimitFails() {
        ProtocolLimits small = new ProtocolLimits(1024, ProtocolLimits.DATA_CHUNK);
        assertThrows(
                ProtocolException.class,
                () -> FrameEncoder.encode(new ErrorReply(ErrorCode.INTERNAL, "x".repeat(2000)), small));
    }

    static List<Message> decodeAll(ByteBuffer bytes) throws ProtocolException {
        List<Message> out = new ArrayList<>();
        new FrameDecoder(LIMITS).decode(bytes, out::add);
        return out;
    }
}
