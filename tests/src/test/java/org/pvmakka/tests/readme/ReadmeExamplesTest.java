package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's examples are these files, character for character, and import nothing of pvm-akka but its public
 * packages ({@code org.pvmakka.task}, {@code org.pvmakka.javadsl}, {@code org.pvmakka.testkit}).
 */
class ReadmeExamplesTest {
    static final List<String> EXAMPLES = List.of("PiTask.java", "PiCaller.java", "SimulatedVmExampleTest.java",
            "VirtualTimeExampleTest.java");

    @Test
    void theReadmeShowsTheExamplesThatTheSuiteRuns() throws IOException {
        Path module = Path.of(System.getProperty("basedir", "."));
        String readme = Files.readString(module.resolve("../README.md"));
        for (String name : EXAMPLES) {
            String example = Files.readString(module.resolve("src/test/java/org/pvmakka/tests/readme/" + name)).strip();
            assertTrue(readme.contains("```java\n" + example + "\n```"),
                    "README.md must contain " + name + " verbatim in a java code block");
            Matcher m = Pattern.compile("^import (?:static )?(org\\.pvmakka\\.[\\w.]+);", Pattern.MULTILINE)
                    .matcher(example);
            while (m.find()) {
                assertTrue(m.group(1).matches("org\\.pvmakka\\.(task|javadsl|testkit|tests\\.readme)\\..*"),
                        name + " imports " + m.group(1) + ", which is not a public package");
            }
        }
    }
}
