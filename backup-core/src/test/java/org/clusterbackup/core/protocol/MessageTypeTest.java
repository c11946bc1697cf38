package org.clusterbackup.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planes dispatch with switch expressions over {@link MessageType}, which the compiler checks for
 * completeness; this proves that every {@link Message} reaches them, i.e. has its type.
 */
class MessageTypeTest {
    @Test
    void everyMessageHasExactlyOneFrameType() {
        Set<Class<?>> messages = Set.of(Message.class.getPermittedSubclasses());
        Set<Class<?>> typed = Arrays.stream(MessageType.values())
                .map(MessageType::messageClass)
                .collect(Collectors.toSet());
        assertEquals(messages, typed);
        assertEquals(MessageType.values().length, typed.size(), "no message has two frame types");
    }
}
