package org.clusterbackup.core.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.clusterbackup.core.fs.AtomicFile;

/**
 * A daemon's own key pair and self-signed certificate, kept in {@code identity.p12} (PKCS#12, mode 0600)
 * in its data or state dir. The file's mode is its protection: the store password is a constant, as for an
 * SSH host key, and a file that group or others may read is refused rather than used.
 */
public final class Identity {
    public static final String FILE_NAME = "identity.p12";
    private static final String ALIAS = "identity";
    /** The file's mode protects the key; a password kept beside it would add nothing. */
    private static final char[] STORE_PASSWORD = "cluster-backup".toCharArray();

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Fingerprint fingerprint;
    /** Made on first use, then shared by every TLS context: making them seals the key with PBKDF2. */
    private KeyManager[] keyManagers;

    private Identity(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.fingerprint = Fingerprint.of(certificate);
    }

    /**
     * Loads {@code dir/identity.p12}, creating it (and {@code dir}) on first use.
     *
     * @param commonName names the daemon in the certificate ({@code backup-server}); informative only
     * @throws IOException the file is readable by group or others, damaged, or cannot be written
     */
    public static Identity loadOrCreate(Path dir, String commonName) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return load(file);
        }
        java.security.KeyPair pair = SelfSignedCertificate.keyPair();
        Identity created = new Identity(pair.getPrivate(), SelfSignedCertificate.create(pair, commonName));
        try {
            created.save(file);
        } catch (FileAlreadyExistsException e) {
            return load(file); // another process (a `fingerprint` command beside the daemon) was first
        }
        return created;
    }

    static Identity load(Path file) throws IOException {
        checkPermissions(file);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD);
            if (!(store.getKey(ALIAS, STORE_PASSWORD) instanceof PrivateKey key)
                    || !(store.getCertificate(ALIAS) instanceof X509Certificate cert)) {
                throw new IOException("identity file " + file + " holds no key entry '" + ALIAS + "'");
            }
            return new Identity(key, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("identity file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Refuses a key that others could have copied: rotating it is the owner's call, not ours. */
    static void checkPermissions(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> loose = new java.util.HashSet<>(perms);
        loose.removeAll(Set.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        if (!loose.isEmpty()) {
            throw new IOException("identity file " + file + " is accessible by group or others (mode "
                    + PosixFilePermissions.toString(perms) + "); run `chmod 600 " + file
                    + "` if the key was not exposed, "
                    + "else delete it to make a new identity");
        }
    }

    /** Writes the file 0600 from its first byte, then moves it into place without replacing another. */
    private void save(Path file) throws IOException {
        Path temp = Files.createTempFile(
                file.getParent(), ".identity-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(ALIAS, key, STORE_PASSWORD, new Certificate[] {certificate});
                store.store(out, STORE_PASSWORD);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write identity file " + file + ": " + e.getMessage(), e);
            }
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // A link, not a move: it fails if the name exists, so two first starts never swap identities.
            Files.createLink(file, temp);
            // The link itself made durable: a data dir shared by a cluster must not lose, in a power cut, the
            // identity that servers already presented to agents.
            AtomicFile.syncDirectory(file.getParent(), AtomicFile.Sync.FORCE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The private key, for this package's tests of what signs with it. */
    PrivateKey privateKey() {
        return key;
    }

    /**
     * Key managers that present this identity in TLS handshakes: made once (a PKCS#12 store for the JDK's
     * factory encrypts the key with thousands of PBKDF2 rounds), then shared; they hold no per-connection
     * state.
     */
    synchronized KeyManager[] keyManagers() {
        if (keyManagers == null) {
            keyManagers = makeKeyManagers();
        }
        return keyManagers.clone();
    }

    private KeyManager[] makeKeyManagers() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, STORE_PASSWORD, new Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build key managers for " + fingerprint + ": " + e.getMessage(), e);
        }
    }
}
