package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lists a Keras {@code flow_from_directory} tree: one sub-folder per class, images at any depth
 * below it. Lists names only; nothing is decoded here.
 */
final class ImageFolders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDataset.class);
    static final String EXTENSIONS = ".png, .jpg, .jpeg";

    private ImageFolders() {
    }

    static ImageDataset list(Path dir) {
        if (!Files.exists(dir)) {
            throw new InvalidInputException("Image folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("Image folder " + dir + " is not a directory");
        }
        List<Path> classDirs = new ArrayList<Path>();
        int looseImages = 0;
        for (Path p : children(dir)) {
            if (hidden(p)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                classDirs.add(p);
            } else if (isImage(p)) {
                looseImages++;
            }
        }
        if (classDirs.isEmpty()) {
            throw new InvalidInputException("Image folder " + dir + " has no class sub-folders; expected one folder per class, e.g. "
                    + dir.resolve("cat").resolve("001.jpg") + (looseImages > 0 ? " (it has " + looseImages
                    + " images directly inside, which belong in class folders)" : ""));
        }
        if (looseImages > 0) {
            LOG.warn("{} images directly inside {} are not in a class folder; ignored", looseImages, dir);
        }
        List<ImageExample> out = new ArrayList<ImageExample>();
        List<String> empty = new ArrayList<String>();
        for (Path classDir : classDirs) {
            String label = classDir.getFileName().toString();
            List<Path> files = images(classDir);
            if (files.isEmpty()) {
                empty.add(label);
                LOG.warn("Class folder {} has no {} images; class '{}' is left out", classDir, EXTENSIONS, label);
            }
            for (Path f : files) {
                out.add(ImageExample.ofFile(label, f));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("Image folder " + dir + " has class folders " + empty + " but no " + EXTENSIONS
                    + " images in them");
        }
        return new ImageDataset(dir.toString(), out, null, null, false);
    }

    /** Image files at any depth below a class folder, hidden files and folders left out, sorted by relative path. */
    private static List<Path> images(Path classDir) {
        List<Path> out = new ArrayList<Path>();
        try (Stream<Path> s = Files.walk(classDir)) {
            for (Path p : s.collect(Collectors.toList())) {
                if (p.equals(classDir) || hiddenBelow(classDir, p) || !Files.isRegularFile(p)) {
                    continue;
                }
                if (isImage(p)) {
                    out.add(p);
                } else {
                    LOG.debug("Ignoring {}: not a {} file", p, EXTENSIONS);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException("Cannot list image folder " + classDir + ": " + e.getMessage(), e);
        }
        Collections.sort(out, (a, b) -> classDir.relativize(a).toString().compareTo(classDir.relativize(b).toString()));
        return out;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = s.collect(Collectors.toList());
            Collections.sort(out, (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new InvalidInputException("Cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
