package org.clusterbackup.console.view;

import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.scene.Node;

/** Keeps a node's style in step with a ViewModel value, so the stylesheet decides how states look. */
final class Styles {
    private Styles() {}

    /** Gives {@code node} the one style class that {@code classOf} names for the current value. */
    static <V> void toggle(Node node, ObservableValue<V> value, Function<V, String> classOf) {
        String[] applied = {null};
        Runnable apply = () -> {
            if (applied[0] != null) {
                node.getStyleClass().remove(applied[0]);
            }
            V v = value.getValue();
            applied[0] = v == null ? null : classOf.apply(v);
            if (applied[0] != null) {
                node.getStyleClass().add(applied[0]);
            }
        };
        value.addListener((o, was, now) -> apply.run());
        apply.run();
    }

    /** Sets {@code pseudoClass} on {@code node} while {@code on} holds. */
    static void pseudoClass(Node node, String pseudoClass, ObservableValue<Boolean> on) {
        PseudoClass pc = PseudoClass.getPseudoClass(pseudoClass);
        on.addListener((o, was, now) -> node.pseudoClassStateChanged(pc, Boolean.TRUE.equals(now)));
        node.pseudoClassStateChanged(pc, Boolean.TRUE.equals(on.getValue()));
    }
}
