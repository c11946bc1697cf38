package org.clusterbackup.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.clusterbackup.core.model.InvalidInputException;

/**
 * Operator tokens: 256 random bits, shown once, kept only as their SHA-256. A hash is enough (no slow KDF):
 * the token is random, not a password a dictionary could guess.
 */
public final class Tokens {
    /** Marks the value as ours, so a leaked one is recognisable in a log or a repository scan. */
    private static final String PREFIX = "cbt_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Tokens() {}

    public static String generate() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** The SHA-256 of the token, hex: what the catalog keeps. */
    public static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Compares two hashes in time that does not depend on where they differ. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidInputException not 1–64 letters, digits, dots, dashes or underscores */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("token name '" + name
                    + "' must be 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
        return name;
    }
}
