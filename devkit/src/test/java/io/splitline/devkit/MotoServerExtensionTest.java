package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class MotoServerExtensionTest {

    @Test
    void missingMotoServer_underCi_failsWithTheInstallHint() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> MotoServerExtension.requireInstalled(Optional.empty(), Map.of("CI", "true")));

        assertTrue(failure.getMessage().contains("pip install \"moto[server]\""), failure.getMessage());
        assertTrue(failure.getMessage().contains("CI is set"), failure.getMessage());
    }

    @Test
    void missingMotoServer_outsideCi_skipsWithTheInstallHint() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> MotoServerExtension.requireInstalled(Optional.empty(), Map.of()));

        assertTrue(skipped.getMessage().contains("pip install \"moto[server]\""), skipped.getMessage());
    }

    @Test
    void ciSetToFalseOrZero_isNotCi() {
        assertFalse(Ci.isSet(Map.of("CI", "false")));
        assertFalse(Ci.isSet(Map.of("CI", "0")));
        assertFalse(Ci.isSet(Map.of("CI", " ")));
        assertTrue(Ci.isSet(Map.of("CI", "1")));
        assertTrue(Ci.isSet(Map.of("CI", "true")));
    }

    @Test
    void installedMotoServer_isUsedWhateverCiSays(@TempDir Path dir) {
        Path executable = dir.resolve(MotoServer.EXECUTABLE);

        assertEquals(executable, MotoServerExtension.requireInstalled(Optional.of(executable), Map.of("CI", "true")));
    }

    @Test
    void locate_findsOnlyAnExecutableFileOnThePath(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path notExecutable = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(notExecutable.resolve(MotoServer.EXECUTABLE), "#!/bin/sh\n");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path executable = Files.writeString(bin.resolve(MotoServer.EXECUTABLE), "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));

        String path = String.join(java.io.File.pathSeparator, empty.toString(), notExecutable.toString(), bin.toString());

        assertEquals(Optional.of(executable), MotoServer.locate(path));
        assertEquals(Optional.empty(), MotoServer.locate(empty.toString()));
        assertEquals(Optional.empty(), MotoServer.locate(null));
    }

    @Test
    @ExtendWith(MotoServerExtension.class)
    void motoServer_listensOnLoopbackAndResets(MotoServer moto) throws IOException {
        assertEquals("http://127.0.0.1:" + moto.port(), moto.endpoint().toString());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", moto.port()), 2000);
            assertTrue(socket.isConnected());
        }
        moto.reset(); // throws unless moto answers 200
    }

    @Test
    @ExtendWith(MotoServerExtension.class)
    void motoServer_isOnePerJvm(MotoServer moto) {
        assertTrue(moto == MotoServerExtension.server());
    }
}
