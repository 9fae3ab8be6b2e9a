package org.pvmakka.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.task.FlowControlTimeoutException;
import org.pvmakka.task.PvmException;

class CreditWindowTest {

    @Test
    void aFullWindowTimesOutNamingTheWindow() {
        CreditWindow w = new CreditWindow(new FlowWindow(2, 1000, 100, true));
        w.acquire(10, "send");
        w.acquire(10, "send");
        long t0 = System.nanoTime();
        FlowControlTimeoutException e = assertThrows(FlowControlTimeoutException.class, () -> w.acquire(10, "send"));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(e.getMessage().contains("window of 2 messages / 1000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("MessagesHandled"), e.getMessage());
        assertEquals(2, w.inFlight());
    }

    @Test
    void creditWakesAWaitingSend() throws Exception {
        CreditWindow w = new CreditWindow(new FlowWindow(1, 1000, 10_000, false));
        w.acquire(10, "send");
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> w.acquire(10, "send"));
        Thread.sleep(100);
        assertFalse(second.isDone());
        w.release(1, 10);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(1, w.inFlight());
    }

    @Test
    void bytesBoundTheWindowButALargeMessageGoesAlone() {
        CreditWindow w = new CreditWindow(new FlowWindow(100, 1000, 50, false));
        w.acquire(5000, "send"); // larger than the window, nothing in flight: goes
        assertThrows(FlowControlTimeoutException.class, () -> w.acquire(1, "send"));
        w.release(1, 5000);
        w.acquire(600, "send");
        assertThrows(FlowControlTimeoutException.class, () -> w.acquire(600, "send"));
        w.acquire(400, "send");
    }

    @Test
    void anEndedTaskFailsWaitingAndLaterSends() throws Exception {
        CreditWindow w = new CreditWindow(new FlowWindow(1, 1000, 10_000, false));
        w.acquire(1, "send");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> w.acquire(1, "send"));
        Thread.sleep(50);
        w.close("task t40002 has ended");
        Exception e = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof PvmException && e.getCause().getMessage().contains("has ended"));
        assertThrows(PvmException.class, () -> w.acquire(1, "send"));
    }
}
