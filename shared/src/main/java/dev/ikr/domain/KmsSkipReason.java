package dev.ikr.domain;

import java.util.Locale;

/** Why a KMS key is not rotated; some reasons need a person to look. */
public enum KmsSkipReason {
    /** AWS manages it (and rotates it every year). */
    AWS_MANAGED(false),
    /** Disabled, pending deletion, pending import, unavailable: only an enabled key is rotated. */
    NOT_ENABLED(false),
    /** Its key material lives in a CloudHSM or external key store. */
    CUSTOM_KEY_STORE(false),
    /** Its key material was imported ({@code Origin=EXTERNAL}): IKR cannot make more of it. */
    IMPORTED_MATERIAL(false),
    /** A multi-Region key: its replicas share its material, a new key would not. */
    MULTI_REGION(false),
    /** A symmetric encryption key: KMS rotates it itself. */
    SYMMETRIC(false),
    /** A spec that is neither asymmetric ({@code RSA_*}, {@code ECC_*}) nor HMAC, e.g. {@code SM2}. */
    UNSUPPORTED_SPEC(false),
    /** It does not carry {@code IKR:EMAIL}. */
    NOT_ENROLLED(false),
    /** IKR rotates keys by moving their aliases; this one has none. */
    NO_ALIAS(false),
    NOT_DUE(false),
    /** It was replaced; it stays enabled until its retirement date. */
    RETIRING(false),
    /** Its predecessor is not retired yet: one rotation at a time. */
    ROTATION_IN_PROGRESS(false),
    /** Its retirement, or its predecessor's, was parked for a person. */
    AWAITING_ATTENTION(true),
    /** An interrupted rotation cannot be withdrawn by IKR (its old key is gone). */
    INTERRUPTED_ROTATION(true);

    private final boolean needsAttention;

    KmsSkipReason(boolean needsAttention) {
        this.needsAttention = needsAttention;
    }

    public boolean needsAttention() {
        return needsAttention;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
