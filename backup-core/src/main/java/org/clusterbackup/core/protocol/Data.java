package org.clusterbackup.core.protocol;

import java.util.Arrays;
import java.util.Objects;

/** Raw bytes of a stream (an archive in transit); the frame payload is the bytes themselves, no JSON. */
public record Data(byte[] bytes) implements Message {
    public Data {
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Data other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Data[" + bytes.length + " bytes]";
    }
}
