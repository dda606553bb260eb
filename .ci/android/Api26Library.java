import org.codehaus.mojo.animal_sniffer.Clazz;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.EOFException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The Java classes of Android API 26 as a library jar for D8/R8 (.ci/android-d8.sh). Robolectric's android-all jar
 * carries Android's own classes but not libcore's OpenJDK-derived java.* / javax.*; this writes those from
 * animal-sniffer's API 26 signature (net.sf.androidscents.signature, made from Android 8.0's android.jar): every class
 * the signature lists and android-all lacks, with the signature's superclass, interfaces and members only, the class
 * files (for their access flags) taken from the running JDK. A class or member API 26 does not have is absent, so
 * R8 reports a reference to a missing class.
 *
 * <pre>java -cp animal-sniffer.jar:asm.jar Api26Library.java android-api-level-26.signature android-all.jar out.jar</pre>
 */
public final class Api26Library {
    public static void main(String[] args) throws Exception {
        Map<String, Clazz> api = new HashMap<String, Clazz>();
        try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(Files.newInputStream(Path.of(args[0]))))) {
            Object o;
            while ((o = in.readObject()) != null) {
                api.put(((Clazz) o).getName(), (Clazz) o);
            }
        } catch (EOFException end) {
            // the signature may end without a null marker
        }
        Set<String> inAndroidAll = new HashSet<String>();
        try (ZipFile z = new ZipFile(args[1])) {
            z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .forEach(n -> inAndroidAll.add(n.substring(0, n.length() - ".class".length())));
        }
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Set<String> done = new HashSet<String>();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(Path.of(args[2])));
             Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                try (Stream<Path> files = Files.walk(module)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String rel = module.relativize(f).toString();
                        String name = rel.endsWith(".class") ? rel.substring(0, rel.length() - 6) : null;
                        Clazz c = name == null ? null : api.get(name);
                        if (c == null || inAndroidAll.contains(name) || !done.add(name)) {
                            continue;
                        }
                        byte[] bytes;
                        try (InputStream in = Files.newInputStream(f)) {
                            bytes = in.readAllBytes();
                        }
                        zip.putNextEntry(new ZipEntry(rel));
                        zip.write(restrict(bytes, c));
                        zip.closeEntry();
                    }
                }
            }
        }
        int absent = 0;
        for (String name : api.keySet()) {
            if (!done.contains(name) && !inAndroidAll.contains(name)) {
                absent++;
            }
        }
        System.out.println("api26-library: " + api.size() + " classes in the API 26 signature, " + done.size()
                + " written from the JDK, " + absent + " neither in the JDK nor in android-all (left out)");
    }

    /** The class with the signature's hierarchy and members only, without attributes naming other classes. */
    static byte[] restrict(byte[] bytes, Clazz c) {
        Set<String> members = c.getSignatures();
        ClassWriter w = new ClassWriter(0);
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, null, c.getSuperClass(), c.getSuperInterfaces());
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return members.contains(name + "#" + descriptor) ? super.visitField(access, name, descriptor, null, value) : null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!members.contains(name + descriptor)) {
                    return null;
                }
                // A library class needs no code: an abstract-free stub body is not required by D8/R8.
                return super.visitMethod(access, name, descriptor, null, null);
            }

            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
            }

            @Override
            public void visitNestHost(String nestHost) {
            }

            @Override
            public void visitNestMember(String nestMember) {
            }

            @Override
            public void visitPermittedSubclass(String permittedSubclass) {
            }

            @Override
            public void visitOuterClass(String owner, String name, String descriptor) {
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
        return w.toByteArray();
    }
}
