package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DigestColumnTest {
    @Test
    void aLowercaseSha256IsStoredAsItsThirtyTwoBytes() {
        String hex = "00ff".repeat(16);
        byte[] stored = DigestColumn.encode(hex);
        assertArrayEquals(HexFormat.of().parseHex(hex), stored);
        assertEquals(hex, DigestColumn.decode(stored));
    }

    @Test
    void anyOtherTextComesBackExactlyAndNeverAsThirtyTwoBytes() {
        for (String text : SqliteSchemaTest.DIGESTS) {
            byte[] stored = DigestColumn.encode(text);
            assertEquals(text, DigestColumn.decode(stored), text);
            if (!text.equals(SqliteSchemaTest.DIGESTS.get(0))) {
                assertNotEquals(DigestColumn.SHA256_BYTES, stored.length, text);
            }
        }
        assertNull(DigestColumn.decode(DigestColumn.encode(null)));
    }

    @Test
    void bytesOfNeitherFormAreReportedAsDamaged() {
        CatalogException e = assertThrows(CatalogException.class, () -> DigestColumn.decode(new byte[] {'a', 'b'}));
        assertEquals("a digest in the catalog is damaged: 2 bytes", e.getMessage());
        assertThrows(CatalogException.class, () -> DigestColumn.decode(new byte[] {'a', -1, -1, -1}));
    }
}
