package dev.ikr.domain;

/** The state IAM reports for an access key. */
public enum KeyStatus {
    ACTIVE,
    INACTIVE
}
