package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.FilesRequest;
import org.clusterbackup.core.protocol.MessageType;
import org.clusterbackup.core.security.Role;
import org.junit.jupiter.api.Test;

/** The policy is keyed by class name: a name that matches no request would silently leave that request admin-only. */
class ControlPolicyTest {
    private static final Set<String> CONTROL_REQUESTS = Arrays.stream(MessageType.values())
            .filter(t -> t.code() >= 10 && t.code() < 50)
            .map(t -> t.messageClass().getSimpleName())
            .filter(name -> name.endsWith("Request"))
            .collect(Collectors.toSet());

    @Test
    void everyListedNameIsAControlRequest() {
        for (String name : ControlPolicy.listed()) {
            assertTrue(CONTROL_REQUESTS.contains(name), name + " is no control request");
        }
    }

    @Test
    void everyControlRequestIsListed() {
        assertEquals(CONTROL_REQUESTS, ControlPolicy.listed());
    }

    @Test
    void filesAreForViewersAndAFileFetchForOperatorsAsAFetchIs() {
        assertEquals(Role.VIEWER, ControlPolicy.of(new FilesRequest(1)).role());
        assertEquals(new ControlPolicy.Rule(Role.OPERATOR, "fetch"), ControlPolicy.of(new FileFetchRequest(1, "a")));
    }
}
