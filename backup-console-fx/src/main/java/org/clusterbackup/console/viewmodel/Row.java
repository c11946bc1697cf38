package org.clusterbackup.console.viewmodel;

import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One table row: a stable id and the latest record the server sent for it. A refresh updates the record in
 * place instead of replacing the row, so tables keep their selection and scroll position.
 *
 * @param <T> the protocol record shown
 */
public abstract class Row<T> {
    private final long id;
    private final ReadOnlyObjectWrapper<T> info;

    protected Row(long id, T info) {
        this.id = id;
        this.info = new ReadOnlyObjectWrapper<>(this, "info", Objects.requireNonNull(info, "info"));
    }

    public final long id() {
        return id;
    }

    public final T info() {
        return info.get();
    }

    public final ReadOnlyObjectProperty<T> infoProperty() {
        return info.getReadOnlyProperty();
    }

    /** Takes a newer record; an equal one changes nothing, so no cell redraws without a reason. */
    final void update(T newer) {
        if (!newer.equals(info.get())) {
            info.set(newer);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + info.get() + "]";
    }
}
