package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The Register form: core's rules and messages, nothing sent while invalid, the server's refusals shown. */
class RegisterViewModelTest {
    private final FakeGateway server = new FakeGateway();
    private final List<TargetInfo> registered = new ArrayList<>();
    private final RegisterViewModel form = new RegisterViewModel(server, Async.currentThread(), registered::add);

    private static String coreMessage(Executable validation) {
        return assertThrows(InvalidInputException.class, validation).getMessage();
    }

    @Test
    void eachFieldShowsTheMessageOfTheSharedCoreValidator() {
        form.nodeProperty().set("bad_host!");
        form.portProperty().set("70000");
        form.pathProperty().set("srv/app");
        form.everyProperty().set("5x");
        assertEquals(
                coreMessage(() -> NodeAddress.normalize("bad_host!")),
                form.nodeErrorProperty().get());
        assertEquals(
                coreMessage(() -> NodeAddress.checkPort(70000)),
                form.portErrorProperty().get());
        assertEquals(
                coreMessage(() -> TargetPath.normalize("srv/app")),
                form.pathErrorProperty().get());
        assertEquals(
                coreMessage(() -> Frequency.parseSeconds("5x")),
                form.everyErrorProperty().get());
        assertEquals("port 70000 is outside 1-65535", form.portErrorProperty().get());
        assertFalse(form.validProperty().get());
    }

    @Test
    void aPathWithADotDotSegmentIsRefusedAsByBackupctl() {
        form.pathProperty().set("/srv/../etc");
        assertEquals(
                "path '/srv/../etc' contains a '..' segment: give the path without . or ..",
                form.pathErrorProperty().get());
    }

    @Test
    void aPortThatIsNotANumberSaysSo() {
        form.portProperty().set("agent");
        assertEquals("port 'agent' is not a number", form.portErrorProperty().get());
    }

    @Test
    void nothingIsSentWhileAFieldIsInvalid() {
        form.nodeProperty().set("node1");
        form.pathProperty().set("relative");
        form.everyProperty().set("5m");
        assertFalse(form.submit());
        assertTrue(server.requests.isEmpty(), server.requests.toString());
        assertNull(form.registeredProperty().get());
    }

    @Test
    void aNewFormShowsNoMessagesUntilTypedInOrSubmitted() {
        assertEquals("", form.nodeErrorProperty().get());
        assertEquals("", form.everyErrorProperty().get());
        assertEquals(RegisterViewModel.DEFAULT_PORT, form.portProperty().get());
        assertFalse(form.submit());
        assertEquals(
                coreMessage(() -> NodeAddress.normalize("")),
                form.nodeErrorProperty().get());
        assertEquals(
                coreMessage(() -> Frequency.parseSeconds("")),
                form.everyErrorProperty().get());
        assertEquals("", form.portErrorProperty().get(), "the default port is valid");
    }

    @Test
    void aValidFormSendsTheNormalisedValuesOnce() {
        form.nodeProperty().set(" Node1.Example.COM ");
        form.portProperty().set("7072");
        form.pathProperty().set("/srv//app/");
        form.everyProperty().set("5");
        assertTrue(form.validProperty().get());
        assertTrue(form.submit());
        assertEquals(List.of("register node1.example.com:7072 /srv/app 300"), server.requests);
        assertEquals("/srv/app", form.registeredProperty().get().path());
        assertEquals(1, registered.size());
        assertFalse(form.submit(), "a form is done once the server accepted it");
        assertEquals(1, server.requests.size());
    }

    @Test
    void aDuplicateIsShownInTheFormAndEditingClearsIt() {
        server.add("node1", 7071, "/srv/app");
        form.nodeProperty().set("node1");
        form.pathProperty().set("/srv/app");
        form.everyProperty().set("1h");
        assertTrue(form.submit());
        assertEquals(
                "target node1:7071 /srv/app is already registered (id 1)",
                form.serverErrorProperty().get());
        assertNull(form.registeredProperty().get());
        assertTrue(registered.isEmpty());
        form.pathProperty().set("/srv/app2");
        assertEquals("", form.serverErrorProperty().get());
    }

    @Test
    void anUnreachableServerIsShownInTheForm() {
        server.unreachable = true;
        form.nodeProperty().set("node1");
        form.pathProperty().set("/srv/app");
        form.everyProperty().set("1h");
        assertTrue(form.submit());
        assertTrue(
                form.serverErrorProperty().get().startsWith("cannot reach the server"),
                form.serverErrorProperty().get());
        assertFalse(form.submittingProperty().get());
    }
}
