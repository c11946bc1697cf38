package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterbackup.core.archive.Trees;

/** The changes to a {@link Trees#sample} tree that must each make the next backup STORED. */
enum TreeEdits {
    EDIT_CONTENT {
        @Override
        void apply(Path tree) throws IOException {
            Files.writeString(tree.resolve("a/sibling.txt"), "next to b, edited\n");
        }
    },
    ADD_FILE {
        @Override
        void apply(Path tree) throws IOException {
            Files.writeString(tree.resolve("a/new.txt"), "new\n");
        }
    },
    DELETE_FILE {
        @Override
        void apply(Path tree) throws IOException {
            Files.delete(tree.resolve("top.txt"));
        }
    },
    CHMOD {
        @Override
        void apply(Path tree) throws IOException {
            Trees.chmod(tree.resolve("top.txt"), 0600);
        }
    },
    RENAME {
        @Override
        void apply(Path tree) throws IOException {
            Files.move(tree.resolve("top.txt"), tree.resolve("top-renamed.txt"));
        }
    },
    NEW_EMPTY_DIRECTORY {
        @Override
        void apply(Path tree) throws IOException {
            Files.createDirectory(tree.resolve("a/fresh-empty-dir"));
        }
    },
    CHANGED_SYMLINK_TARGET {
        @Override
        void apply(Path tree) throws IOException {
            Path link = tree.resolve("a/link");
            Files.delete(link);
            Files.createSymbolicLink(link, Path.of("sibling.txt"));
        }
    };

    abstract void apply(Path tree) throws IOException;
}
