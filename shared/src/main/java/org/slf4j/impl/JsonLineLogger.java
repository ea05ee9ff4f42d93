package org.slf4j.impl;

import dev.ikr.log.JsonLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * A library's SLF4J logger writing IKR's JSON lines: WARN and ERROR only, the message formatted as SLF4J does,
 * and an exception by its class and message (the SDK's messages name resources and request ids, never secrets).
 */
final class JsonLineLogger extends MarkerIgnoringBase {

    private static final long serialVersionUID = 1L;

    private final transient JsonLog log;

    JsonLineLogger(String name) {
        this.name = name;
        this.log = JsonLog.named(name);
    }

    private void write(JsonLog.Level level, FormattingTuple message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Throwable thrown = message.getThrowable();
        if (thrown != null) {
            fields.put("exception", thrown.getClass().getName());
            if (thrown.getMessage() != null) {
                fields.put("exceptionMessage", thrown.getMessage());
            }
        }
        log.write(level, String.valueOf(message.getMessage()), fields);
    }

    // ---- WARN and ERROR are written --------------------------------------------------------------

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public void warn(String msg) {
        write(JsonLog.Level.WARN, new FormattingTuple(msg));
    }

    @Override
    public void warn(String format, Object arg) {
        write(JsonLog.Level.WARN, MessageFormatter.format(format, arg));
    }

    @Override
    public void warn(String format, Object... arguments) {
        write(JsonLog.Level.WARN, MessageFormatter.arrayFormat(format, arguments));
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        write(JsonLog.Level.WARN, MessageFormatter.format(format, arg1, arg2));
    }

    @Override
    public void warn(String msg, Throwable t) {
        write(JsonLog.Level.WARN, new FormattingTuple(msg, null, t));
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public void error(String msg) {
        write(JsonLog.Level.ERROR, new FormattingTuple(msg));
    }

    @Override
    public void error(String format, Object arg) {
        write(JsonLog.Level.ERROR, MessageFormatter.format(format, arg));
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        write(JsonLog.Level.ERROR, MessageFormatter.format(format, arg1, arg2));
    }

    @Override
    public void error(String format, Object... arguments) {
        write(JsonLog.Level.ERROR, MessageFormatter.arrayFormat(format, arguments));
    }

    @Override
    public void error(String msg, Throwable t) {
        write(JsonLog.Level.ERROR, new FormattingTuple(msg, null, t));
    }

    // ---- TRACE, DEBUG and INFO are dropped -------------------------------------------------------

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public void trace(String msg) {
    }

    @Override
    public void trace(String format, Object arg) {
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
    }

    @Override
    public void trace(String format, Object... arguments) {
    }

    @Override
    public void trace(String msg, Throwable t) {
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public void debug(String msg) {
    }

    @Override
    public void debug(String format, Object arg) {
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
    }

    @Override
    public void debug(String format, Object... arguments) {
    }

    @Override
    public void debug(String msg, Throwable t) {
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public void info(String msg) {
    }

    @Override
    public void info(String format, Object arg) {
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
    }

    @Override
    public void info(String format, Object... arguments) {
    }

    @Override
    public void info(String msg, Throwable t) {
    }
}
