package org.clusterbackup.console.view;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.clusterbackup.console.viewmodel.ChangesViewModel;
import org.clusterbackup.console.viewmodel.Dialogs;
import org.clusterbackup.console.viewmodel.FilesViewModel;
import org.clusterbackup.console.viewmodel.RegisterViewModel;

/** The ViewModels' dialogs as JavaFX windows over the main window. */
public final class FxDialogs implements Dialogs {
    private final Window owner;
    /** Where the last file was saved: the next save dialog opens there. */
    private File lastDirectory;

    public FxDialogs(Window owner) {
        this.owner = owner;
    }

    @Override
    public boolean confirm(String title, String question, String details, String confirmLabel) {
        ButtonType confirm = new ButtonType(confirmLabel, ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, details, confirm, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(question);
        alert.getDialogPane().setId("confirmDialog");
        alert.getDialogPane().getStylesheets().add(ConsoleView.STYLESHEET);
        ((Button) alert.getDialogPane().lookupButton(confirm)).setId("confirmButton");
        // A destructive action is not the default: Enter alone must not unregister.
        ((Button) alert.getDialogPane().lookupButton(confirm)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        Optional<ButtonType> answer = alert.showAndWait();
        return answer.isPresent() && answer.get() == confirm;
    }

    @Override
    public void register(RegisterViewModel form) {
        new RegisterDialog(owner, form).show();
    }

    @Override
    public void files(FilesViewModel files) {
        new FilesWindow(owner, files).show();
    }

    @Override
    public void changes(ChangesViewModel changes) {
        new ChangesWindow(owner, changes).show();
    }

    @Override
    public Optional<Path> saveFile(String title, String fileName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(fileName);
        FileChooser.ExtensionFilter archives = new FileChooser.ExtensionFilter("Backup archives (*.tgz)", "*.tgz");
        FileChooser.ExtensionFilter any = new FileChooser.ExtensionFilter("All files", "*");
        // A single file out of an archive is saved as whatever it is, not as an archive.
        if (fileName.endsWith(".tgz")) {
            chooser.getExtensionFilters().addAll(archives, any);
        } else {
            chooser.getExtensionFilters().add(any);
        }
        if (lastDirectory != null && lastDirectory.isDirectory()) {
            chooser.setInitialDirectory(lastDirectory);
        }
        File file = chooser.showSaveDialog(owner); // the platform's dialog asks before replacing a file
        if (file == null) {
            return Optional.empty();
        }
        lastDirectory = file.getParentFile();
        return Optional.of(file.toPath());
    }
}
