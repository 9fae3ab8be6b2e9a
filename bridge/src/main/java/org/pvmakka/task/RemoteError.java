package org.pvmakka.task;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * An exception thrown on a remote task, carried back as text (the exception object itself is
 * never serialized).
 *
 * @param className the exception's class name
 * @param message its message, may be null
 * @param stackTrace the full stack trace as printed on the worker, causes included
 */
public record RemoteError(String className, String message, String stackTrace) {

    /**
     * Captures a throwable: its class name, message and printed stack trace.
     *
     * @param t the exception to capture
     * @return its text form
     */
    public static RemoteError of(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return new RemoteError(t.getClass().getName(), t.getMessage(), w.toString());
    }

    /**
     * An error that did not come from an exception (for example a worker that died); no stack trace.
     *
     * @param className the kind of error, in place of an exception class
     * @param message what happened
     * @return the error, with an empty stack trace
     */
    public static RemoteError of(String className, String message) {
        return new RemoteError(className, message, "");
    }

    @Override
    public String toString() {
        return className + (message != null ? ": " + message : "");
    }
}
