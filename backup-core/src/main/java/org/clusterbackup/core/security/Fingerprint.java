package org.clusterbackup.core.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.clusterbackup.core.model.InvalidInputException;

/**
 * The identity of a daemon, SSH-style: {@code SHA256:} and the unpadded base64 of the SHA-256 of its
 * certificate's DER bytes. Peers pin this value instead of trusting a certificate authority.
 *
 * @param value the whole text, prefix included
 */
public record Fingerprint(String value) {
    private static final String PREFIX = "SHA256:";
    /** 32 bytes are 43 base64 characters without padding. */
    private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    public Fingerprint {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new InvalidInputException("fingerprint '" + value
                    + "' is not SHA256: followed by 43 base64 characters (as `backup-server fingerprint` prints it)");
        }
    }

    /**
     * Parses a fingerprint a user typed or a file holds; surrounding blanks are ignored.
     *
     * @param source where the value came from, for the message ({@code --trust-server})
     * @throws InvalidInputException the text is not a fingerprint
     */
    public static Fingerprint parse(String text, String source) {
        String trimmed = text == null ? "" : text.strip();
        try {
            return new Fingerprint(trimmed);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + ": " + e.getMessage());
        }
    }

    /** The fingerprint of a certificate. */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new Fingerprint(PREFIX + Base64.getEncoder().withoutPadding().encodeToString(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
