package org.pvmakka.task;

/** A message could not be encoded or decoded; the message names the problem. */
public class WireException extends RuntimeException {
    /** @param message the problem, naming the class or value concerned */
    public WireException(String message) {
        super(message);
    }

    /**
     * @param message the problem, naming the class or value concerned
     * @param cause the underlying exception
     */
    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
