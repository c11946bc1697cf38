package org.clusterbackup.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Outcomes and states are enums in the code and their bare names on the wire, as when they were strings. */
class EnumsOnTheWireTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123Z");

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void anExecutionsOutcomeTravelsAsItsName(Outcome outcome) throws Exception {
        ExecutionReply reply = new ExecutionReply(new ExecutionInfo(
                9, 7, "127.0.0.2", 7071, "/srv/app", T, T, outcome, 10, null, null, null, List.of(), null));
        assertTrue(json(reply).contains("\"outcome\":\"" + outcome.name() + "\""), json(reply));
        assertEquals(reply, roundTrip(reply));
    }

    @ParameterizedTest
    @EnumSource(TargetState.class)
    void aTargetsStateAndLastOutcomeTravelAsTheirNames(TargetState state) throws Exception {
        TargetReply reply = new TargetReply(
                new TargetInfo(7, "127.0.0.2", 7071, "/srv/app", 300, T, state, null, Outcome.FAILED, null));
        String json = json(reply);
        assertTrue(json.contains("\"state\":\"" + state.name() + "\""), json);
        assertTrue(json.contains("\"lastOutcome\":\"FAILED\""), json);
        assertEquals(reply, roundTrip(reply));
    }

    private static String json(Message m) throws Exception {
        ByteBuffer frame = FrameEncoder.encode(m, ProtocolLimits.DEFAULT);
        return new String(
                frame.array(),
                FrameDecoder.HEADER_BYTES,
                frame.limit() - FrameDecoder.HEADER_BYTES,
                StandardCharsets.UTF_8);
    }

    private static Message roundTrip(Message m) throws Exception {
        ByteBuffer frame = FrameEncoder.encode(m, ProtocolLimits.DEFAULT);
        return FrameCodecTest.decodeAll(frame).get(0);
    }
}
