package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.IndexSegment;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent's segmented archives through the real server: indexed, listed, read file by file. */
class SegmentedPipelineTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    TargetSelector target;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).start();
        tree = Files.createDirectories(p.source.resolve("big"));
        Random random = new Random(11);
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 40; f++) {
                byte[] content = new byte[2_000 + random.nextInt(30_000)];
                random.nextBytes(content);
                Files.createDirectories(tree.resolve("d" + d));
                Files.write(tree.resolve("d" + d + "/f" + f + ".bin"), content);
            }
        }
        target = p.register(tree);
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    private ArchiveInfo stored() throws IOException {
        ExecutionInfo run = p.client.run(target);
        assertEquals(Outcome.STORED, run.outcome(), run.error());
        return p.client.backups(target).get(0);
    }

    @Test
    void filesOfARealArchiveComeBackAloneAsTheyWere() throws Exception {
        ArchiveInfo a = stored();
        GnuTar.gzipTest(Path.of(a.file()));
        List<FileInfo> files = p.client.files(a.id());
        assertEquals(GnuTar.list(Path.of(a.file())).size(), files.size());
        List<FileInfo> regular =
                files.stream().filter(f -> f.type().equals("file")).toList();
        for (int i = 0; i < regular.size(); i++) {
            FileInfo f = regular.get(i);
            assertEquals(Trees.sha256(tree.resolve(f.path())), f.sha256(), f.path());
            // Every 16th file, and the last, fetched alone: each from its own place among the segments.
            if (i % 16 == 0 || i == regular.size() - 1) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                p.client.fetchFile(a.id(), f.path(), out);
                assertArrayEquals(Files.readAllBytes(tree.resolve(f.path())), out.toByteArray(), f.path());
            }
        }
        assertTrue(p.client.verify(a.id(), null, false).get(0).ok());
    }

    @Test
    void addingOneFileInTheMiddleChangesOnlyAFewSegments() throws Exception {
        ArchiveInfo before = stored();
        Files.write(tree.resolve("d10/added.bin"), new byte[] {1, 2, 3});
        ArchiveInfo after = stored();

        List<Long> old = crcs(before);
        List<Long> now = crcs(after);
        Set<Long> kept = new HashSet<>(old);
        long changed = now.stream().filter(c -> !kept.contains(c)).count();
        assertTrue(old.size() > 10, "a tree of " + old.size() + " segments is too small to show locality");
        assertTrue(changed <= 3, changed + " of " + now.size() + " segments changed");
    }

    private List<Long> crcs(ArchiveInfo a) throws IOException, org.clusterbackup.core.index.UnusableIndexException {
        Archive row;
        try (Catalog catalog = Catalog.open(p.dataDir.resolve("catalog.db"), java.time.Clock.systemUTC())) {
            row = catalog.archive(a.id()).orElseThrow();
        }
        List<Long> crcs = new ArrayList<>();
        try (IndexFile index = IndexFile.open(p.dataDir.resolve(row.indexFileName()), row.indexSha256())) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean segment(IndexSegment s) {
                    return crcs.add(s.crc32());
                }
            });
        }
        return crcs;
    }
}
