package org.clusterbackup.console.view;

import java.util.function.Function;
import javafx.geometry.Pos;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import org.clusterbackup.console.viewmodel.Row;

/**
 * Table columns over a row's live record. A column holds the raw value (an {@code Instant}, a size in bytes),
 * so sorting is by time or size, and only its cells turn it into text; a style class per value lets a
 * stylesheet make values such as FAILED stand out.
 */
final class Columns {
    private Columns() {}

    /**
     * @param value the cell's value from the row's record; may be null
     * @param text how a non-null value is written
     * @param styleClass a style class for a value, or null for none
     */
    static <T, R extends Row<T>, V> TableColumn<R, V> of(
            String title,
            String id,
            double width,
            Function<T, V> value,
            Function<V, String> text,
            Function<V, String> styleClass) {
        TableColumn<R, V> column = new TableColumn<>(title);
        column.setId(id);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> c.getValue().infoProperty().map(value));
        column.setCellFactory(c -> new FormattedCell<>(text, styleClass));
        return column;
    }

    static <T, R extends Row<T>, V> TableColumn<R, V> of(
            String title, String id, double width, Function<T, V> value, Function<V, String> text) {
        return of(title, id, width, value, text, v -> null);
    }

    /** A column of numbers or sizes: right-aligned, so magnitudes line up. */
    static <T, R extends Row<T>, V> TableColumn<R, V> numeric(
            String title, String id, double width, Function<T, V> value, Function<V, String> text) {
        TableColumn<R, V> column = of(title, id, width, value, text);
        column.setStyle("-fx-alignment: CENTER-RIGHT;");
        return column;
    }

    private static final class FormattedCell<R, V> extends TableCell<R, V> {
        private final Function<V, String> text;
        private final Function<V, String> styleClass;
        private String applied;

        FormattedCell(Function<V, String> text, Function<V, String> styleClass) {
            this.text = text;
            this.styleClass = styleClass;
            setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(V item, boolean empty) {
            super.updateItem(item, empty);
            if (applied != null) {
                getStyleClass().remove(applied);
                applied = null;
            }
            if (empty || item == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            String t = text.apply(item);
            setText(t);
            // Long paths and error messages do not fit a column: the whole text is one hover away.
            setTooltip(t.length() > 40 ? new Tooltip(t) : null);
            applied = styleClass.apply(item);
            if (applied != null) {
                getStyleClass().add(applied);
            }
        }
    }
}
