package io.modelward.catalog.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.modelward.governance.ProblemException;

/**
 * Checks that a zip archive (TorchScript files and TorchServe {@code .mar} archives are zips) is safe to unpack:
 * every entry path stays inside the root, the number of entries is bounded, and the bytes it really inflates to
 * (counted while inflating, since headers can lie) stay under an absolute limit and a compression ratio limit.
 */
public final class ZipInspector {

    private final int maxEntries;
    private final long maxUnpackedBytes;
    private final int maxCompressionRatio;

    public ZipInspector(int maxEntries, long maxUnpackedBytes, int maxCompressionRatio) {
        this.maxEntries = maxEntries;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxCompressionRatio = maxCompressionRatio;
    }

    /** Returns the names of the file entries, or throws a 422 problem saying why the archive is unsafe or broken. */
    public List<String> inspect(Path archive, String what) throws IOException {
        List<String> names = new ArrayList<>();
        long compressed = 0;
        long unpacked = 0;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            byte[] buffer = new byte[64 * 1024];
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (names.size() >= maxEntries) {
                    throw unsafe(what + " has more than " + maxEntries + " entries.");
                }
                String name = entry.getName();
                requireSafePath(name, what);
                if (entry.isDirectory()) {
                    continue;
                }
                names.add(name);
                compressed += Math.max(entry.getCompressedSize(), 0);
                try (InputStream in = zip.getInputStream(entry)) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        unpacked += n;
                        if (unpacked > maxUnpackedBytes) {
                            throw unsafe(what + " unpacks to more than " + ArtifactStore.human(maxUnpackedBytes) + ".");
                        }
                        if (unpacked > 1024 * 1024 && unpacked > (long) maxCompressionRatio * Math.max(compressed, 1)) {
                            throw unsafe(what + " has an absurd compression ratio (over " + maxCompressionRatio
                                    + ":1), as zip bombs do.");
                        }
                    }
                }
            }
        }
        catch (IOException ex) {
            // ZipException for a broken directory, EOFException and others for broken entries
            throw ProblemException.unprocessable("corrupt-archive", what + " is not a readable zip archive ("
                    + ex.getMessage() + ").");
        }
        if (names.isEmpty()) {
            throw ProblemException.unprocessable("corrupt-archive", what + " contains no files.");
        }
        return Collections.unmodifiableList(names);
    }

    private static void requireSafePath(String name, String what) {
        boolean escapes = name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains("\\")
                || name.indexOf('\0') >= 0 || (name.length() > 1 && name.charAt(1) == ':');
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                escapes = true;
            }
        }
        if (escapes) {
            throw unsafe(what + " has an entry whose path escapes the archive root: '" + printable(name) + "'.");
        }
    }

    private static String printable(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 120 ? clean : clean.substring(0, 120) + "…";
    }

    private static ProblemException unsafe(String detail) {
        return ProblemException.unprocessable("unsafe-archive", detail);
    }
}
