package org.pvmakka.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default worker classpath under the common launchers (issue 12.8). */
class WorkerCommandTest {
    @TempDir
    Path dir;

    static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();

    Path jar(String name, String classPath) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return p;
    }

    @Test
    void javaCp() throws IOException {
        Path a = jar("a.jar", null);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(List.of(a.toString(), classes.toString()),
                WorkerCommand.classpathOf(a + File.pathSeparator + classes, SYSTEM));
    }

    @Test
    void javaJarWithManifestClassPath() throws IOException {
        Path lib1 = jar("lib/one.jar", "two.jar"); // transitively, as the JVM follows it
        Path lib2 = jar("lib/two.jar", null);
        Path app = jar("app.jar", "lib/one.jar lib/missing.jar");
        assertEquals(List.of(app.toString(), lib1.toString(), lib2.toString(), dir.resolve("lib/missing.jar").toString()),
                WorkerCommand.classpathOf(app.toString(), SYSTEM));
    }

    @Test
    void surefireManifestOnlyJar() throws IOException {
        Path dep = jar("repo/dep.jar", null);
        Path testClasses = Files.createDirectories(dir.resolve("target/test-classes"));
        Path booter = jar("tmp/surefirebooter123.jar", dep.toUri() + " " + testClasses.toUri());
        assertEquals(List.of(booter.toString(), dep.toString(), testClasses.toString()),
                WorkerCommand.classpathOf(booter.toString(), SYSTEM));
    }

    @Test
    void execJavaUrlClassLoader() throws IOException {
        Path boot = jar("maven/boot/plexus-classworlds.jar", null);
        Path appClasses = Files.createDirectories(dir.resolve("app/target/classes"));
        Path appDep = jar("repo/kryo.jar", null);
        Path parentEntry = jar("repo/parent.jar", null);
        try (URLClassLoader parent = new URLClassLoader(new URL[] {parentEntry.toUri().toURL()}, SYSTEM);
                URLClassLoader exec = new URLClassLoader(new URL[] {appClasses.toUri().toURL(), appDep.toUri().toURL(),
                    new URL("http://example.com/remote.jar")}, parent)) {
            assertEquals(List.of(boot.toString(), parentEntry.toString(), appClasses.toString(), appDep.toString()),
                    WorkerCommand.classpathOf(boot.toString(), exec));
        }
    }

    /** A loader that is not a URLClassLoader but tells its entries (as some launchers' loaders do). */
    public static final class ListingLoader extends ClassLoader {
        private final URL[] urls;

        ListingLoader(URL[] urls) {
            super(SYSTEM);
            this.urls = urls;
        }

        public URL[] getURLs() {
            return urls.clone();
        }
    }

    @Test
    void urlClassLoaderLikeLoader() throws IOException {
        Path app = jar("app.jar", null);
        assertEquals(List.of(app.toString()), WorkerCommand.classpathOf("", new ListingLoader(new URL[] {app.toUri().toURL()})));
        assertEquals(List.of(), WorkerCommand.classpathOf("", new ClassLoader(SYSTEM) { }));
    }

    @Test
    void holdsTellsWhetherAWorkerFindsAClass() {
        Path here = WorkerCommand.location(WorkerCommand.class).orElseThrow();
        assertTrue(WorkerCommand.holds(List.of(here.toString()), WorkerCommand.class));
        assertFalse(WorkerCommand.holds(List.of(dir.toString()), WorkerCommand.class));
        assertTrue(WorkerCommand.holds(List.of(), String.class), "JDK classes need no entry");
        assertTrue(WorkerCommand.holds(WorkerCommand.currentClasspath(), WorkerCommand.class),
                "this test JVM (a Surefire fork) derives its own classpath: " + WorkerCommand.currentClasspath());
        assertTrue(WorkerCommand.holds(WorkerCommand.currentClasspath(), Test.class));
    }
}
