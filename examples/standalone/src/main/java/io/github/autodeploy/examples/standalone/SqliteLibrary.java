package io.github.autodeploy.examples.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * SQLite's native library for this machine, as sqlite-jdbc carries it in the jar, copied into a folder of the
 * launcher's (beside the jar, made with the class-data archive) so that a server started with {@code
 * -Dorg.sqlite.lib.path=FOLDER -Dorg.sqlite.lib.name=NAME} loads it from there. Left to itself, sqlite-jdbc
 * unpacks the library into the temporary folder under a new name at every start, and first runs {@code uname -o}
 * (a process, and the JDK's process-reaper thread kept for a minute) to tell Termux on Android from Linux. Not
 * instantiable; thread-safe.
 */
final class SqliteLibrary {
    private SqliteLibrary() {
    }

    /**
     * Copies the library into {@code folder} (made if missing) under the name sqlite-jdbc loads it by, atomically
     * replacing one there; returns its path. Throws when the jar holds no library for this machine.
     */
    static Path copyInto(Path folder) throws IOException {
        String resources = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
        String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resources + "/" + name)) {
            if (in == null) {
                throw new IOException("the jar holds no SQLite native library for this machine (" + resources + "/" + name + ")");
            }
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, name, ".partial");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                if (Files.getFileStore(partial).supportsFileAttributeView("posix")) {
                    // readable as the jar beside it is (a temporary file is the owner's alone)
                    Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                }
                return Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }
}
