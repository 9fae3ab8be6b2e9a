package org.pvmakka.task;

/** A message could not be encoded or decoded; the message names the problem. */
public class WireException extends RuntimeException {
    public WireException(String message) {
        super(message);
    }

    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
