package dev.nnsdk.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public API of sdk-api, as a committed signature file ({@code sdk-api/api/sdk-api.api}, like OkHttp's
 * {@code okhttp.api}): every public or protected class, constructor, method and field. An accidental change of
 * the public API fails the build; an intended one is accepted by regenerating the file with
 * {@code mvn -pl sdk-api test -Dtest=ApiDumpTest -Dapi.update=true} and committing it, so it shows in review.
 */
class ApiDumpTest {

    private static final Path DUMP = Paths.get("api", "sdk-api.api");

    @Test
    void publicApiMatchesTheCommittedDump() throws Exception {
        List<String> now = dump(Paths.get("target", "classes"));
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(DUMP.getParent());
            Files.write(DUMP, now, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.isRegularFile(DUMP)) {
            fail("No committed API dump " + DUMP.toAbsolutePath() + "; create it with -Dapi.update=true");
        }
        List<String> committed = Files.readAllLines(DUMP, StandardCharsets.UTF_8);
        if (!committed.equals(now)) {
            Set<String> added = new LinkedHashSet<String>(now);
            added.removeAll(committed);
            Set<String> removed = new LinkedHashSet<String>(committed);
            removed.removeAll(now);
            fail("The public API of sdk-api changed.\n  added:   " + String.join("\n           ", added)
                    + "\n  removed: " + String.join("\n           ", removed)
                    + "\nIf this is intended, run: mvn -pl sdk-api test -Dtest=ApiDumpTest -Dapi.update=true "
                    + "and commit sdk-api/api/sdk-api.api");
        }
    }

    static List<String> dump(Path classes) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> s = Files.walk(classes)) {
            names = s.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .sorted().collect(Collectors.toList());
        }
        List<String> out = new ArrayList<String>();
        for (String name : names) {
            Class<?> c = Class.forName(name, false, ApiDumpTest.class.getClassLoader());
            if (!visible(c)) {
                continue;
            }
            out.add(describe(c));
            TreeSet<String> members = new TreeSet<String>();
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (exposed(k.getModifiers()) && !k.isSynthetic()) {
                    members.add("  " + k.toGenericString());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (exposed(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  " + m.toGenericString());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (exposed(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  " + f.toGenericString());
                }
            }
            out.addAll(members);
        }
        return Collections.unmodifiableList(out);
    }

    /** Public, and every enclosing class public too. */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String describe(Class<?> c) {
        StringBuilder b = new StringBuilder(c.toGenericString());
        if (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum()) {
            b.append(" extends ").append(c.getGenericSuperclass().getTypeName());
        }
        if (c.getGenericInterfaces().length > 0) {
            b.append(c.isInterface() ? " extends " : " implements ");
            for (int i = 0; i < c.getGenericInterfaces().length; i++) {
                b.append(i == 0 ? "" : ", ").append(c.getGenericInterfaces()[i].getTypeName());
            }
        }
        return b.toString();
    }
}
