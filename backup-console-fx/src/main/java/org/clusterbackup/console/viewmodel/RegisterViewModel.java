package org.clusterbackup.console.viewmodel;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * The Register dialog's form. Each field is checked as it is typed by the same core validators that
 * {@code backupctl register} uses ({@link NodeAddress}, {@link TargetPath}, {@link Frequency}), so the rules
 * and messages are one. Nothing is sent while a field is invalid; what the server refuses (a duplicate, say)
 * is shown in the form, which stays open.
 */
public final class RegisterViewModel {
    /** The agent's default port: most nodes run it there. */
    public static final String DEFAULT_PORT = "7071";

    private final ServerGateway gateway;
    private final Async async;
    private final Consumer<TargetInfo> onRegistered;

    // Node, port and frequency lose stray blanks (easily typed, never meant); a path is taken exactly as
    // typed, since a blank may be part of a name.
    private final Field node = new Field("node", "", true, NodeAddress::normalize);
    private final Field port = new Field("port", DEFAULT_PORT, true, RegisterViewModel::checkPort);
    private final Field path = new Field("path", "", false, TargetPath::normalize);
    private final Field every = new Field("every", "", true, text -> Long.toString(Frequency.parseSeconds(text)));
    private final ReadOnlyStringWrapper serverError = new ReadOnlyStringWrapper(this, "serverError", "");
    private final ReadOnlyBooleanWrapper submitting = new ReadOnlyBooleanWrapper(this, "submitting");
    private final ReadOnlyObjectWrapper<TargetInfo> registered = new ReadOnlyObjectWrapper<>(this, "registered");
    private final BooleanBinding valid;

    /**
     * @param onRegistered told (on the UI thread) once the server accepted the target
     */
    public RegisterViewModel(ServerGateway gateway, Async async, Consumer<TargetInfo> onRegistered) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.async = Objects.requireNonNull(async, "async");
        this.onRegistered = Objects.requireNonNull(onRegistered, "onRegistered");
        valid = node.valid.and(port.valid).and(path.valid).and(every.valid);
        for (Field f : new Field[] {node, port, path, every}) {
            f.text.addListener((o, was, now) -> serverError.set(""));
        }
    }

    public StringProperty nodeProperty() {
        return node.text;
    }

    public StringProperty portProperty() {
        return port.text;
    }

    public StringProperty pathProperty() {
        return path.text;
    }

    public StringProperty everyProperty() {
        return every.text;
    }

    /** Why the node is not valid, as {@code backupctl} says it; empty when valid or not yet typed in. */
    public ReadOnlyStringProperty nodeErrorProperty() {
        return node.shownError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty portErrorProperty() {
        return port.shownError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty pathErrorProperty() {
        return path.shownError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty everyErrorProperty() {
        return every.shownError.getReadOnlyProperty();
    }

    /** What the server said when it refused, or why it could not be asked. */
    public ReadOnlyStringProperty serverErrorProperty() {
        return serverError.getReadOnlyProperty();
    }

    /** A request is on its way: the form waits for the answer. */
    public ReadOnlyBooleanProperty submittingProperty() {
        return submitting.getReadOnlyProperty();
    }

    /** Every field is valid. */
    public BooleanBinding validProperty() {
        return valid;
    }

    /** The target the server registered; set once, and then the form is done. */
    public ReadOnlyObjectProperty<TargetInfo> registeredProperty() {
        return registered.getReadOnlyProperty();
    }

    /**
     * Sends the registration if every field is valid; otherwise shows every field's message.
     *
     * @return whether a request was sent
     */
    public boolean submit() {
        if (submitting.get() || registered.get() != null) {
            return false;
        }
        boolean ok = true;
        for (Field f : new Field[] {node, port, path, every}) {
            f.touched = true;
            ok &= f.check();
        }
        if (!ok) {
            return false;
        }
        String n = node.value();
        int p = Integer.parseInt(port.value());
        String normalizedPath = path.value();
        long seconds = Long.parseLong(every.value());
        submitting.set(true);
        serverError.set("");
        async.call(
                () -> gateway.register(n, p, normalizedPath, seconds),
                target -> {
                    submitting.set(false);
                    registered.set(target);
                    onRegistered.accept(target);
                },
                failure -> {
                    submitting.set(false);
                    serverError.set(describe(failure));
                });
        return true;
    }

    static String describe(Exception failure) {
        if (failure instanceof RemoteErrorException || failure instanceof UnreachableException) {
            return failure.getMessage(); // already one line for people, from the server or the client
        }
        return "could not register: " + failure;
    }

    /**
     * A port typed as text. The CLI gets a number from its flag parser; here the text becomes a number
     * first, then the shared range check speaks.
     */
    static String checkPort(String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("port '" + text + "' is not a number");
        }
        return Integer.toString(NodeAddress.checkPort(value));
    }

    /**
     * A text field, its validator, and the message shown for it.
     */
    private static final class Field {
        final StringProperty text;
        final ReadOnlyStringWrapper shownError;
        final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper();
        private final boolean strip;
        private final Function<String, String> validator;
        /** Messages show once the user typed here or tried to submit: an empty new form is not an error. */
        boolean touched;
        /** The normalised value, or null while the text is invalid. */
        private String value;

        /** @param validator turns valid text into the value to send, or throws with the message to show */
        Field(String name, String initial, boolean strip, Function<String, String> validator) {
            this.strip = strip;
            this.validator = validator;
            this.text = new SimpleStringProperty(null, name, initial);
            this.shownError = new ReadOnlyStringWrapper(null, name + "Error", "");
            check();
            text.addListener((o, was, now) -> {
                touched = true;
                check();
            });
        }

        /** Validates, updates the message, and says whether the text is valid. */
        boolean check() {
            String t = text.get() == null ? "" : text.get();
            String error = "";
            try {
                value = validator.apply(strip ? t.strip() : t);
            } catch (InvalidInputException e) {
                value = null;
                error = e.getMessage();
            }
            valid.set(value != null);
            shownError.set(touched ? error : "");
            return value != null;
        }

        String value() {
            return value;
        }
    }
}
