package org.clusterbackup.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;

/**
 * The connection bar: the address the user typed, the server in use, and whether it answers. It does not
 * call the server itself; {@link ConsoleViewModel}'s refreshes report here how they went.
 */
public final class ConnectionViewModel {
    private final Function<HostPort, ServerGateway> connector;
    private final Formats formats;
    private final Clock clock;
    private final Duration retryEvery;

    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final ReadOnlyStringWrapper addressError = new ReadOnlyStringWrapper(this, "addressError", "");
    private final ReadOnlyObjectWrapper<HostPort> server = new ReadOnlyObjectWrapper<>(this, "server");
    private final ReadOnlyObjectWrapper<ConnectionState> state =
            new ReadOnlyObjectWrapper<>(this, "state", ConnectionState.CONNECTING);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final StringBinding connectLabel;
    private final BooleanBinding connected;

    private ServerGateway gateway;
    private long generation;

    ConnectionViewModel(
            HostPort initial,
            Function<HostPort, ServerGateway> connector,
            Formats formats,
            Clock clock,
            Duration retryEvery) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.formats = formats;
        this.clock = clock;
        this.retryEvery = retryEvery;
        address.set(initial.toString());
        address.addListener((o, was, now) -> addressError.set(""));
        connectLabel = Bindings.createStringBinding(
                () -> server.get() != null
                                && server.get().toString().equals(address.get().trim())
                        ? "Reconnect"
                        : "Connect",
                server,
                address);
        connected = state.isEqualTo(ConnectionState.CONNECTED);
    }

    /** How times are shown to the user. */
    Formats formats() {
        return formats;
    }

    /** The address as typed, {@code HOST:PORT}. */
    public StringProperty addressProperty() {
        return address;
    }

    /** Why the typed address cannot be used; empty when it can. */
    public ReadOnlyStringProperty addressErrorProperty() {
        return addressError.getReadOnlyProperty();
    }

    /** The server in use: the last valid address connected to. */
    public ReadOnlyObjectProperty<HostPort> serverProperty() {
        return server.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ConnectionState state() {
        return state.get();
    }

    /** One line: connected to whom and when last heard from, or unreachable and why. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** "Connect" for a new address, "Reconnect" for the one in use. */
    public StringBinding connectLabelProperty() {
        return connectLabel;
    }

    public BooleanBinding connectedProperty() {
        return connected;
    }

    /**
     * Switches to the typed address (or starts over with the same one).
     *
     * @return false when the address is not valid: then {@link #addressErrorProperty()} says why and nothing changed
     */
    boolean connect() {
        HostPort target;
        try {
            target = HostPort.parse(address.get().trim(), "server address", false);
        } catch (InvalidInputException e) {
            addressError.set(e.getMessage());
            return false;
        }
        addressError.set("");
        address.set(target.toString());
        gateway = connector.apply(target);
        generation++;
        server.set(target);
        state.set(ConnectionState.CONNECTING);
        status.set("Connecting to " + target + "…");
        return true;
    }

    ServerGateway gateway() {
        return gateway;
    }

    /** Counts connects: an answer that arrives for an older one is dropped. */
    long generation() {
        return generation;
    }

    void reachable(int targets) {
        state.set(ConnectionState.CONNECTED);
        status.set("Connected to " + server.get() + " · " + targets + (targets == 1 ? " target" : " targets")
                + " · updated " + formats.clockTime(clock.instant()));
    }

    void unreachable(String reason) {
        state.set(ConnectionState.UNREACHABLE);
        status.set("Unreachable: " + reason + " · retrying every " + seconds(retryEvery));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
