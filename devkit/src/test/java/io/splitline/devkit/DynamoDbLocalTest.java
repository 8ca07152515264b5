package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DynamoDB Local checks no credentials, so it must listen on loopback unless asked otherwise. */
class DynamoDbLocalTest {

    @Test
    void byDefault_listensOnLoopbackOnly() throws IOException {
        InetAddress external = nonLoopbackAddress();
        try (DynamoDbLocal dynamo = DynamoDbLocal.startInMemory()) {
            connect(InetAddress.getLoopbackAddress(), dynamo.port());
            assertThrows(ConnectException.class, () -> connect(external, dynamo.port()),
                    "DynamoDB Local answered on " + external.getHostAddress());
        }
    }

    @Test
    void aWildcardHost_isAnOptIn_andListensOnEveryInterface() throws IOException {
        InetAddress external = nonLoopbackAddress();
        try (DynamoDbLocal dynamo = DynamoDbLocal.start(null, "0.0.0.0", 0)) {
            connect(external, dynamo.port());
            connect(InetAddress.getLoopbackAddress(), dynamo.port());
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    /** An address of this machine that is not loopback: only there does binding 127.0.0.1 make a difference. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address to try DynamoDB Local on");
        return found.get();
    }
}
