package org.pvmakka.tests.bench;

/**
 * The floor of the spawn benchmark: a JVM that prints one line and exits. {@code pvm_spawn_floor}
 * starts it through raw {@code pvm_spawn}; the pvmd forwards the line to the spawner as a message.
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
