package dev.ikr.domain;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * IKR's tag keys, and the one way a user's tag key is matched against them: ASCII case folding only.
 *
 * <p>{@code ikr:email} and {@code Ikr:Email} are {@code IKR:EMAIL}: only the 26 letters a–z are folded to A–Z, and
 * every other character must be exactly the one in the name. A key that is not such a variant but <em>looks like</em>
 * one of IKR's keys is a {@linkplain #lookAlike look-alike}: it becomes an IKR key under Unicode case mapping in some
 * locale (Turkish dotless {@code ı} and dotted {@code İ}, the Kelvin sign {@code K}, the long {@code ſ}), under NFKC
 * (fullwidth {@code ＩＫＲ}, mathematical letters), once accents, spaces and invisible characters are dropped, or once
 * Cyrillic and Greek letters are read as their Latin twins. A look-alike never counts as the key it imitates, and its
 * user is misconfigured: IAM policies that guard {@code IKR:*} keys compare them character by character, so a
 * look-alike may have got past them, and the real tag beside it may not say what the owner meant.
 *
 * <p>The confusables table covers the letters of IKR's tag names (A C D E F I K L M N O R S T U V Y), the colon and
 * the underscore: the Cyrillic and Greek letters that look like them, and a few colon and underscore look-alikes that
 * IAM accepts in a key (modifier letters). It is not Unicode's whole confusables list: look-alikes from other scripts
 * (Cherokee, Coptic, Lisu...) and ASCII-only near misses ({@code 1KR:EMAIL}, {@code IKR_EMAIL}) are out of its scope
 * and are simply not IKR tags.
 */
public final class TagKeys {

    public static final String EMAIL = "IKR:EMAIL";
    public static final String ROTATE_AFTER_DAYS = "IKR:ROTATE_AFTER_DAYS";
    public static final String DELETE_AFTER_DAYS = "IKR:DELETE_AFTER_DAYS";
    /** Where the new key goes instead of the owner's mail: {@code secretsmanager:}, {@code ssm:} or {@code lambda:}. */
    public static final String DELIVER_TO = "IKR:DELIVER_TO";
    public static final String DEACTIVATE_AFTER_DAYS = "IKR:DEACTIVATE_AFTER_DAYS";
    /** {@code IKR:INSTRUCTION_0}, {@code _1}, ...: every key with this prefix is IKR's. */
    public static final String INSTRUCTION_PREFIX = "IKR:INSTRUCTION_";

    private static final List<String> NAMES = List.of(EMAIL, ROTATE_AFTER_DAYS, DELETE_AFTER_DAYS, DELIVER_TO,
            DEACTIVATE_AFTER_DAYS);
    private static final int MAX_NAMED = 4;

    /**
     * Non-Latin characters read as the Latin letter (or colon, underscore) they look like. Upper-case forms are
     * enough where the lower-case form maps to them ({@code а} → {@code А} → A); lower-case forms appear where
     * only they look like the letter (Cyrillic {@code г} is an r, its capital {@code Г} is not an R).
     */
    private static final Map<Integer, Character> CONFUSABLES = Map.ofEntries(
            // Cyrillic capitals
            Map.entry(0x0410, 'A'), Map.entry(0x0421, 'C'), Map.entry(0x0415, 'E'), Map.entry(0x0406, 'I'),
            Map.entry(0x04C0, 'I'), Map.entry(0x041A, 'K'), Map.entry(0x041C, 'M'), Map.entry(0x041E, 'O'),
            Map.entry(0x0405, 'S'), Map.entry(0x0422, 'T'), Map.entry(0x0474, 'V'), Map.entry(0x04AE, 'Y'),
            Map.entry(0x0423, 'Y'),
            // Cyrillic small letters whose capitals do not look alike
            Map.entry(0x0501, 'D'), Map.entry(0x0433, 'R'),
            // Greek capitals
            Map.entry(0x0391, 'A'), Map.entry(0x03F9, 'C'), Map.entry(0x0395, 'E'), Map.entry(0x03DC, 'F'),
            Map.entry(0x0399, 'I'), Map.entry(0x039A, 'K'), Map.entry(0x039C, 'M'), Map.entry(0x039D, 'N'),
            Map.entry(0x039F, 'O'), Map.entry(0x03A4, 'T'), Map.entry(0x03A5, 'Y'),
            // Greek small letters whose capitals do not look alike
            Map.entry(0x03C5, 'U'), Map.entry(0x03B3, 'Y'),
            // colons and underscores (the modifier letters are letters, so IAM takes them in a key)
            Map.entry(0xA789, ':'), Map.entry(0x02D0, ':'), Map.entry(0x02F8, ':'), Map.entry(0x2236, ':'),
            Map.entry(0x0589, ':'), Map.entry(0x02CD, '_'), Map.entry(0x2017, '_'));

    private TagKeys() {
    }

    /** A tag key that looks like IKR's {@code imitated} key but is not an ASCII case variant of it. */
    public record LookAlike(String key, String imitated) {

        /** The misconfiguration, naming the key (invisible characters shown as {@code <U+XXXX>}). */
        public String reason() {
            return "tag '" + printable(key) + "' looks like " + imitated + " but is not: it has "
                    + differingCharacters(key) + "; IKR reads only ASCII letters (in any case) in its tag keys, so it"
                    + " leaves this user alone until the tag is removed";
        }
    }

    /** The key with a–z turned into A–Z and every other character left as it is. */
    public static String fold(String key) {
        var folded = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            folded.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    /** Whether {@code key}, folded, is a key IKR reads: one of its names, or an instruction. */
    public static boolean isIkrKey(String key) {
        return isIkrName(fold(key));
    }

    /** Whether {@code key} is an ASCII case variant of IKR's {@code name}. */
    public static boolean matches(String key, String name) {
        return fold(key).equals(fold(name));
    }

    /** The IKR key that {@code key} imitates, if it is a look-alike (see the class comment); never for IKR's keys. */
    public static Optional<LookAlike> lookAlike(String key) {
        if (isIkrKey(key)) {
            return Optional.empty();
        }
        String skeleton = skeleton(key);
        if (!isIkrName(skeleton)) {
            return Optional.empty();
        }
        return Optional.of(new LookAlike(key, skeleton));
    }

    private static boolean isIkrName(String folded) {
        return NAMES.contains(folded) || folded.startsWith(INSTRUCTION_PREFIX);
    }

    /**
     * What {@code key} reads as: each character's Latin twin, compatibility form (NFKC) or case mapping, without
     * accents, spaces or invisible characters, folded to ASCII upper case. Characters that are none of these stay.
     */
    static String skeleton(String key) {
        var skeleton = new StringBuilder(key.length());
        key.codePoints().forEach(codePoint -> {
            Character twin = CONFUSABLES.get(codePoint);
            if (twin != null) {
                skeleton.append(twin);
                return;
            }
            String compatible = Normalizer.normalize(Normalizer.normalize(Character.toString(codePoint),
                    Normalizer.Form.NFKC), Normalizer.Form.NFD);
            compatible.codePoints().filter(part -> !isIgnorable(part))
                    .forEach(part -> skeleton.append(latin(part)));
        });
        return fold(skeleton.toString());
    }

    /** Accents, spaces of any kind and invisible characters: a reader does not see them, or sees past them. */
    private static boolean isIgnorable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT || type == Character.CONTROL
                || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /**
     * The Latin letter a character stands for under case mapping in any locale: its upper case ({@code ı} → I,
     * {@code ſ} → S), or the upper case of its lower case ({@code İ} → i → I, Kelvin sign → k → K), or its twin.
     */
    private static String latin(int codePoint) {
        Character twin = CONFUSABLES.get(codePoint);
        if (twin != null) {
            return twin.toString();
        }
        for (int mapped : new int[] {Character.toUpperCase(codePoint),
                Character.toUpperCase(Character.toLowerCase(codePoint))}) {
            if (mapped < 0x80) {
                return Character.toString(mapped);
            }
            Character mappedTwin = CONFUSABLES.get(mapped);
            if (mappedTwin != null) {
                return mappedTwin.toString();
            }
        }
        return Character.toString(codePoint);
    }

    /** The key as a log line shows it faithfully: invisible characters and non-ASCII spaces as {@code <U+XXXX>}. */
    static String printable(String key) {
        var printable = new StringBuilder(key.length());
        key.codePoints().forEach(codePoint -> {
            if (codePoint != ' ' && (isIgnorable(codePoint) || Character.getType(codePoint) == Character.UNASSIGNED
                    || Character.getType(codePoint) == Character.PRIVATE_USE
                    || Character.getType(codePoint) == Character.SURROGATE)) {
                printable.append(codePointName(codePoint, false));
            } else {
                printable.appendCodePoint(codePoint);
            }
        });
        return printable.toString();
    }

    /** The characters that make {@code key} differ from an ASCII key (non-ASCII characters, spaces), by name. */
    private static String differingCharacters(String key) {
        var odd = key.codePoints().filter(codePoint -> codePoint >= 0x7F || codePoint < 0x21)
                .boxed().collect(Collectors.toCollection(LinkedHashSet::new));
        String named = odd.stream().limit(MAX_NAMED).map(codePoint -> codePointName(codePoint, true))
                .collect(Collectors.joining(", "));
        return odd.size() > MAX_NAMED ? named + " and " + (odd.size() - MAX_NAMED) + " more" : named;
    }

    private static String codePointName(int codePoint, boolean withName) {
        String code = String.format("U+%04X", codePoint);
        String name = withName ? Character.getName(codePoint) : null;
        return name == null ? "<" + code + ">" : code + " " + name;
    }
}
