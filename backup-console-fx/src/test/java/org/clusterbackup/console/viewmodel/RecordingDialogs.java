package org.clusterbackup.console.viewmodel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Dialogs answered by the test: what was asked is recorded, the answer is preset. */
final class RecordingDialogs implements Dialogs {
    final List<String> asked = new ArrayList<>();
    boolean confirmAnswer;
    /** What the user does in the register form. */
    Consumer<RegisterViewModel> registerForm = form -> {};

    RegisterViewModel lastForm;
    /** Where the user saves; empty: cancelled. */
    Optional<Path> saveAnswer = Optional.empty();
    /** The file name the save dialog suggested. */
    String suggestedName;

    @Override
    public boolean confirm(String title, String question, String details, String confirmLabel) {
        asked.add(question);
        return confirmAnswer;
    }

    @Override
    public void register(RegisterViewModel form) {
        lastForm = form;
        registerForm.accept(form);
    }

    /** The last Files… window opened. */
    FilesViewModel lastFiles;

    @Override
    public void files(FilesViewModel files) {
        lastFiles = files;
    }

    /** The last Changes… window opened. */
    ChangesViewModel lastChanges;

    @Override
    public void changes(ChangesViewModel changes) {
        lastChanges = changes;
    }

    @Override
    public Optional<Path> saveFile(String title, String fileName) {
        asked.add(title);
        suggestedName = fileName;
        return saveAnswer;
    }
}
