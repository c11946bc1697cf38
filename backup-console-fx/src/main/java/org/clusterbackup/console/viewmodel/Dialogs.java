package org.clusterbackup.console.viewmodel;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The dialogs the ViewModels open. The view implements them with JavaFX windows; ViewModel tests answer
 * them directly.
 */
public interface Dialogs {
    /**
     * Asks the user to confirm an action that changes the server.
     *
     * @return whether the user confirmed
     */
    boolean confirm(String title, String question, String details, String confirmLabel);

    /** Shows the register form; it closes itself once the server accepted the target, or when cancelled. */
    void register(RegisterViewModel form);

    /** Shows an archive's Files… window; it lists the entries as they arrive and closes itself. */
    void files(FilesViewModel files);

    /**
     * Asks where to save a file.
     *
     * @param fileName the name to suggest
     * @return the file chosen, or empty when cancelled
     */
    Optional<Path> saveFile(String title, String fileName);
}
