package org.slf4j.impl;

import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding the AWS SDK's log lines go through (SLF4J finds it by this class name): its warnings and
 * errors become IKR's JSON lines on standard error; its debug and info lines are dropped. Without a binding SLF4J
 * falls back to a no-op logger and prints a warning at start.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

    /** The SLF4J API version this binding is compiled against (read by SLF4J's version check). */
    public static final String REQUESTED_API_VERSION = "1.7.36";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private final ILoggerFactory factory = JsonLineLogger::new;

    private StaticLoggerBinder() {
    }

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return JsonLineLogger.class.getName();
    }
}
