package org.clusterbackup.core.index;

/** The kinds of tar entry an archive holds, with the name {@code files} prints and the byte the index stores. */
public enum EntryKind {
    FILE("file", 'f'),
    DIR("dir", 'd'),
    SYMLINK("symlink", 'l'),
    /** Another name of an earlier file entry (tar typeflag '1'); index format 2 and later. */
    HARDLINK("hardlink", 'h');

    private final String label;
    private final byte code;

    EntryKind(String label, char code) {
        this.label = label;
        this.code = (byte) code;
    }

    public String label() {
        return label;
    }

    byte code() {
        return code;
    }

    static EntryKind ofCode(int code) {
        for (EntryKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
