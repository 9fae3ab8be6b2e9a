package org.pvmakka.tests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.jna.JnaPvm;

/** The {@link PvmContract} against a real pvmd: libpvm through JNA, worker JVMs. */
@ExtendWith(RealPvm.class)
class RealPvmContractIT extends PvmContract {

    @BeforeAll
    static void setUp() {
        pvm = RealPvm.pvm();
        useWire();
    }

    @Override
    int expectedCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    int maxMessageBytes() {
        return ((JnaPvm) pvm).options().maxMessageBytes();
    }

    @Override
    Pvm sameProcessWithMaxMessageBytes(int max) {
        return JnaPvm.open(((JnaPvm) pvm).options().withMaxMessageBytes(max));
    }
}
