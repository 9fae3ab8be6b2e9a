package org.pvmakka.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VirtualMachineConfigTest {
    static Duration tick(String conf) {
        Config c = VirtualMachine.ownSystemConfig(ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()));
        return c.getDuration("akka.scheduler.tick-duration");
    }

    @Test
    void theFacadesSystemTicksEvery100MsByDefault() {
        assertEquals(Duration.ofMillis(100), tick(""));
    }

    @Test
    void theTickCanBeChosenOrLeftToAkka() {
        assertEquals(Duration.ofMillis(50), tick("pvm-akka.facade.scheduler-tick-duration = 50ms"));
        assertEquals(Duration.ofMillis(10), tick("pvm-akka.facade.scheduler-tick-duration = \"\""));
        assertEquals(Duration.ofMillis(20), tick("pvm-akka.facade.scheduler-tick-duration = \"\"\nakka.scheduler.tick-duration = 20ms"));
    }
}
