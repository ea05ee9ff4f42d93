package dev.ikr.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The mail domains a new key may be sent to. {@code example.com} allows that domain only; {@code .example.com} allows
 * it and every domain under it ({@code eu.example.com}). No entries: any domain.
 *
 * <p>Domains are compared in ASCII, ignoring ASCII case. An internationalised domain takes part in its ASCII form
 * ({@code xn--...}) only: an entry written in Unicode is refused here, and an {@code IKR:EMAIL} address with a Unicode
 * domain is refused by {@link EmailAddress}, so the two are never compared across forms.
 *
 * @param entries the allowed domains, lower case, each with its leading dot if it allows subdomains
 * @param setBy what set them, for the reason given when an address is refused (e.g. the environment variable)
 */
public record AllowedEmailDomains(List<String> entries, String setBy) {

    private static final int MAX_DOMAIN_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public AllowedEmailDomains {
        entries = List.copyOf(entries);
        Objects.requireNonNull(setBy, "setBy");
    }

    /** Any domain. */
    public static AllowedEmailDomains any() {
        return new AllowedEmailDomains(List.of(), "");
    }

    /**
     * Reads a comma-separated list, such as {@code example.com,.corp.example.org}.
     *
     * @param what names the source in the error and in refusals, e.g. {@code "ALLOWED_EMAIL_DOMAINS"}
     * @throws IllegalArgumentException with one sentence naming {@code what} and the entry that is wrong
     */
    public static AllowedEmailDomains parse(String raw, String what) {
        var entries = new ArrayList<String>();
        for (String entry : raw.split(",", -1)) {
            String problem = problem(entry);
            if (problem != null) {
                throw new IllegalArgumentException(what + " must be a comma-separated list of domains such as"
                        + " example.com, or .example.com to allow its subdomains too; " + problem);
            }
            entries.add(asciiLowerCase(entry));
        }
        return new AllowedEmailDomains(entries, what);
    }

    /** Why {@code entry} is not an allowed-domain entry, or null. */
    private static String problem(String entry) {
        if (entry.isEmpty()) {
            return "it has an empty entry";
        }
        String quoted = "'" + (entry.length() <= 60 ? entry : entry.substring(0, 60) + "...") + "'";
        if (entry.codePoints().anyMatch(Character::isWhitespace) || entry.codePoints().anyMatch(Character::isSpaceChar)) {
            return "entry " + quoted + " has a space";
        }
        if (entry.contains("@")) {
            return "entry " + quoted + " has an @: give the domain only";
        }
        if (entry.codePoints().anyMatch(codePoint -> codePoint >= 0x80)) {
            return "entry " + quoted + " is not ASCII: write an internationalised domain in its ASCII form (xn--...)";
        }
        String domain = asciiLowerCase(entry.startsWith(".") ? entry.substring(1) : entry);
        String[] labels = domain.split("\\.", -1);
        boolean valid = domain.length() <= MAX_DOMAIN_LENGTH && labels.length >= 2;
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        return valid ? null : "entry " + quoted + " is not a domain name with at least two labels";
    }

    /** Whether a key may be mailed to {@code address}. */
    public boolean permits(EmailAddress address) {
        if (entries.isEmpty()) {
            return true;
        }
        String domain = domainOf(address);
        return entries.stream().anyMatch(entry -> entry.startsWith(".")
                ? domain.equals(entry.substring(1)) || domain.endsWith(entry)
                : domain.equals(entry));
    }

    /** The misconfiguration for an address this refuses: its domain and what set the list, nothing else. */
    public String refusal(EmailAddress address) {
        return "the address's domain '" + domainOf(address) + "' is not one that " + setBy + " allows";
    }

    private static String domainOf(EmailAddress address) {
        String value = address.value();
        return asciiLowerCase(value.substring(value.lastIndexOf('@') + 1));
    }

    /** A–Z to a–z, nothing else: domain names compare in ASCII only. */
    private static String asciiLowerCase(String text) {
        var lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "any domain" : String.join(",", entries);
    }
}
