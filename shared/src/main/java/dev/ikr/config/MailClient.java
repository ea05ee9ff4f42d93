package dev.ikr.config;

/** The mail services IKR can send through ({@code MAIL_CLIENT}). */
public enum MailClient {
    SES,
    MAILGUN,
    SMTP
}
