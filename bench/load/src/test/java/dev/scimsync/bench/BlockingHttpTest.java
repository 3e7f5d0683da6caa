package dev.scimsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The closed loops' HTTP client against a scripted server on a real socket. */
class BlockingHttpTest {

    /** What the server answers next, and whether it then closes the connection without saying so. */
    private record Scripted(String answer, boolean closeAfter) {
    }

    private ServerSocket server;
    private final BlockingQueue<Scripted> script = new LinkedBlockingQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private BlockingHttp http;

    @BeforeEach
    void serve() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread connection = new Thread(() -> answer(socket));
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        http = new BlockingHttp("127.0.0.1", server.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            while (true) {
                String head = head(in);
                if (head == null) {
                    return;
                }
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                requests.add(head.substring(0, head.indexOf("\r\n")) + (body.isEmpty() ? "" : " " + body));
                Scripted next = script.take();
                socket.getOutputStream().write(next.answer().getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                if (next.closeAfter()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test ended or closed the connection
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return null;
    }

    private static String fixed(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/scim+json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void answersOnOneKeptAliveConnectionPerThread() {
        script.add(new Scripted(fixed(201, "{\"id\":\"é1\"}"), false));
        script.add(new Scripted(fixed(200, "{\"totalResults\":0}"), false));

        Stack.Answer created = http.exchange("POST", "/scim/v2/Users", "t0k", "{\"userName\":\"a\"}");
        Stack.Answer found = http.exchange("GET", "/scim/v2/Users?filter=x", "t0k", null);

        assertEquals(new Stack.Answer(201, "{\"id\":\"é1\"}"), created);
        assertEquals(new Stack.Answer(200, "{\"totalResults\":0}"), found);
        assertEquals(List.of("POST /scim/v2/Users HTTP/1.1 {\"userName\":\"a\"}", "GET /scim/v2/Users?filter=x HTTP/1.1"),
                requests);
        assertEquals(1, connections.get());
    }

    @Test
    void readsChunkedBodiesAndClosesWhenTheServerSaysSo() {
        script.add(new Scripted("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n", false));
        script.add(new Scripted(fixed(204, ""), false));

        assertEquals(new Stack.Answer(200, "{\"a\":1}"), http.exchange("GET", "/one", "t", null));
        assertEquals(204, http.exchange("DELETE", "/two", "t", null).statusCode());
        assertEquals(2, connections.get());
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestSentOnce() throws Exception {
        script.add(new Scripted(fixed(201, "{}"), true));
        script.add(new Scripted(fixed(201, "{}"), false));

        http.exchange("POST", "/scim/v2/Users", "t", "{\"n\":1}");
        Thread.sleep(100);
        assertEquals(201, http.exchange("POST", "/scim/v2/Users", "t", "{\"n\":2}").statusCode());

        assertEquals(List.of("POST /scim/v2/Users HTTP/1.1 {\"n\":1}", "POST /scim/v2/Users HTTP/1.1 {\"n\":2}"), requests);
        assertEquals(2, connections.get());
    }

    @Test
    void anAnswerThatNeverComesFailsItsRequestAfterTheTimeout() {
        BlockingHttp impatient = new BlockingHttp("127.0.0.1", server.getLocalPort(), Duration.ofMillis(300));
        long began = System.nanoTime();

        assertThrows(UncheckedIOException.class, () -> impatient.exchange("GET", "/slow", "t", null));

        assertTrue(System.nanoTime() - began < Duration.ofSeconds(5).toNanos());
        assertEquals(List.of("GET /slow HTTP/1.1"), requests);
    }

    @Test
    void anAnswerCutShortIsAFailureNotARetry() {
        script.add(new Scripted("HTTP/1.1 201 X\r\nContent-Length: 10\r\n\r\n{}", true));

        assertThrows(UncheckedIOException.class, () -> http.exchange("POST", "/scim/v2/Users", "t", "{\"n\":1}"));
        assertEquals(1, requests.size());
    }
}
