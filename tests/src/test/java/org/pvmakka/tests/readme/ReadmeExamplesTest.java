package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's simulated-VM example is {@link SimulatedVmExampleTest}, character for character. */
class ReadmeExamplesTest {

    @Test
    void theReadmeShowsTheExampleThatTheSuiteRuns() throws IOException {
        Path module = Path.of(System.getProperty("basedir", "."));
        String readme = Files.readString(module.resolve("../README.md"));
        String example = Files.readString(module.resolve(
                "src/test/java/org/pvmakka/tests/readme/SimulatedVmExampleTest.java")).strip();
        assertTrue(readme.contains("```java\n" + example + "\n```"),
                "README.md must contain SimulatedVmExampleTest.java verbatim in a java code block");
    }
}
