package dev.ikr.domain;

import java.util.regex.Pattern;

/**
 * The SSM parameter that holds a user's encryption key: {@code /ikr/secret/iam/<user>}, the
 * original project's path. SSM names allow only {@code a-zA-Z0-9_.-}, while IAM user names may also
 * hold {@code +=,@}; such names go to {@code /ikr/secret/iam/encoded/<name>} with {@code _} and those
 * characters written as {@code _XX} (hex), which cannot collide with a plain name (a plain IAM name has no {@code /}).
 */
public final class SecretParameterName {

    public static final String PREFIX = "/ikr/secret/iam/";
    /** The parameter that keeps the (encrypted) key the table's items are sealed with. */
    public static final String RECORD_KEY = "/ikr/record-mac-key";
    private static final Pattern SSM_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

    private SecretParameterName() {
    }

    public static String forUser(String user) {
        if (SSM_SAFE.matcher(user).matches()) {
            return PREFIX + user;
        }
        var encoded = new StringBuilder(PREFIX).append("encoded/");
        for (char c : user.toCharArray()) {
            if (c != '_' && (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-')) {
                encoded.append(c);
            } else {
                encoded.append('_').append(String.format("%02X", (int) c));
            }
        }
        return encoded.toString();
    }
}
