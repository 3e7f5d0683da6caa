package dev.scimsync.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP/1.1 for the closed loops, where the load generator's own CPU decides how much of the machine is left for the
 * stack: each client thread keeps one keep-alive connection and sends its next request when the answer to the last
 * one is in - as an IdP's client does, one request per connection at a time - with blocking socket calls on the
 * thread itself, so no event loop, no future and no hand-over between threads sits between the request and its
 * answer. Only what a SCIM answer uses is read: the status, Content-Length or chunked bodies, Connection: close.
 */
final class BlockingHttp {

    private final String host;
    private final int port;
    private final String hostHeader;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    /** The connections waiting for an answer, and since when (System.nanoTime()). */
    private final Map<Connection, Long> waiting = new ConcurrentHashMap<>();
    private final long answerTimeoutNanos;

    BlockingHttp(String host, int port) {
        this(host, port, Duration.ofSeconds(60));
    }

    /**
     * {@code answerTimeout}: an answer that has not arrived by then fails its request - its connection is closed
     * under the blocked read - as the Vert.x client's idle timeout failed it.
     */
    BlockingHttp(String host, int port, Duration answerTimeout) {
        this.host = host;
        this.port = port;
        this.hostHeader = "Host: " + host + ":" + port + "\r\n";
        this.answerTimeoutNanos = answerTimeout.toNanos();
        Thread watchdog = new Thread(this::closeOverdue, "http-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void closeOverdue() {
        long checkEvery = Math.max(1, Math.min(1_000, answerTimeoutNanos / 4_000_000));
        while (true) {
            try {
                Thread.sleep(checkEvery);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            waiting.forEach((connection, since) -> {
                if (now - since > answerTimeoutNanos) {
                    waiting.remove(connection);
                    connection.close();
                }
            });
        }
    }

    /**
     * One exchange on the calling thread's connection. A request is sent again, once, on a new connection only when a
     * reused connection refused it or ended before any byte of an answer - how a server's close of an idle kept-alive
     * connection shows. Any other failure, and any answer cut short, fails the request: it is not sent twice.
     */
    Stack.Answer exchange(String method, String target, String token, String body) {
        byte[] request = request(method, target, token, body);
        Connection connection = connections.get();
        try {
            if (connection != null) {
                try {
                    return answer(connection, request);
                } catch (ClosedBeforeAnswer e) {
                    connection.close();
                }
            }
            connection = new Connection(host, port);
            connections.set(connection);
            return answer(connection, request);
        } catch (IOException e) {
            connections.remove();
            if (connection != null) {
                connection.close();
            }
            throw new UncheckedIOException(method + " " + target, e);
        }
    }

    private Stack.Answer answer(Connection connection, byte[] request) throws IOException {
        try {
            connection.out.write(request);
            connection.out.flush();
        } catch (IOException e) {
            // The peer had closed the connection (reset, broken pipe): it read none of this request.
            throw new ClosedBeforeAnswer();
        }
        Response response;
        waiting.put(connection, System.nanoTime());
        try {
            response = Response.read(connection.in);
        } finally {
            waiting.remove(connection);
        }
        if (response.close) {
            connections.remove();
            connection.close();
        }
        return new Stack.Answer(response.status, response.body);
    }

    private byte[] request(String method, String target, String token, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append(hostHeader).append("Authorization: Bearer ").append(token).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/scim+json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    /** A reused connection that the server had closed: nothing of an answer was read. */
    private static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer() {
            super("the connection was closed before an answer began");
        }
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            // No socket timeout: with one, every read of an answer became a non-blocking read, a poll() and a read
            // again (JDK 17's NioSocketImpl) - a tenth of the generator's samples. The watchdog bounds the wait.
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = socket.getOutputStream();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that failed: nothing left to do with it
            }
        }
    }

    /** An HTTP/1.1 answer as far as the benchmark reads it. */
    record Response(int status, String body, boolean close) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in, true);
            // "HTTP/1.1 201 Created"
            int space = statusLine.indexOf(' ');
            if (space < 0 || statusLine.length() < space + 4) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
            long length = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size = chunkSize(line(in, false)); size > 0; size = chunkSize(line(in, false))) {
                    chunks.writeBytes(exactly(in, size));
                    line(in, false);
                }
                // Trailers, if any, end with an empty line.
                for (String trailer = line(in, false); !trailer.isEmpty(); trailer = line(in, false)) {
                    // not used
                }
                body = chunks.toByteArray();
            } else if (length >= 0) {
                body = exactly(in, Math.toIntExact(length));
            } else if (status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else {
                // No length: the body runs to the end of the connection.
                body = in.readAllBytes();
                close = true;
            }
            return new Response(status, new String(body, StandardCharsets.UTF_8), close);
        }

        private static int chunkSize(String line) throws IOException {
            int extension = line.indexOf(';');
            try {
                return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + line);
            }
        }

        private static byte[] exactly(InputStream in, int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException("the answer ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        }

        /** A CRLF-ended line, without its end; {@code first}: the connection closing before it is not an error. */
        private static String line(InputStream in, boolean first) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (first && line.length() == 0) {
                        throw new ClosedBeforeAnswer();
                    }
                    throw new EOFException("the answer ended in the middle of a line");
                }
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b);
            }
        }
    }
}
