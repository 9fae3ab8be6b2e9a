package org.pvmakka.task;

/**
 * {@link TaskContext#send} to the parent waited longer than {@code pvm-akka.flow-control.send-timeout} for credit:
 * the task's window of messages in flight to its owner stayed full (the owner does not keep up, or does not confirm
 * what it handled). Nothing was sent.
 */
public class FlowControlTimeoutException extends PvmException {
    /**
     * @param operation the send that waited
     * @param message how long it waited and the window's state
     */
    public FlowControlTimeoutException(String operation, String message) {
        super(operation, message, null);
    }
}
