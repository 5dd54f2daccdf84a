package dev.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client for tests: writes the request bytes exactly as given over a fresh socket to 127.0.0.1, so no
 * client library normalises the path, the headers or the framing, and reads one response (Content-Length, chunked, or
 * until the server closes). A server that closes without answering gives status {@code -1}.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int INLINE_WRITE_BYTES = 64 * 1024;

    private RawHttp() {
    }

    /** One response as read from the wire; header names are lower-case. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The media type without parameters, or {@code null}. */
        public String mediaType() {
            String type = header("content-type");
            return type == null ? null : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code METHOD target HTTP/1.1} with {@code Host} and {@code Connection: close}, the given header lines
     * ({@code "Name: value"}, sent verbatim) and body ({@code Content-Length} added unless a header line sets the
     * framing).
     */
    public static Response request(int port, String method, String target, List<String> headerLines, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n").append("Connection: close\r\n");
        boolean framed = false;
        for (String line : headerLines) {
            String lower = line.toLowerCase(Locale.ROOT);
            framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
            head.append(line).append("\r\n");
        }
        if (!framed && body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return send(port, headBytes);
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return send(port, all);
    }

    /**
     * Writes {@code bytes} as they are and reads one response. A large request is written from a second thread while
     * this one reads, so an answer the server gives before it has read everything (413) is read before the server's
     * close resets the connection.
     */
    public static Response send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            if (bytes.length <= INLINE_WRITE_BYTES) {
                write(out, bytes);
            } else {
                Thread writer = new Thread(() -> write(out, bytes), "raw-http-writer");
                writer.setDaemon(true);
                writer.start();
            }
            return read(socket.getInputStream());
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the server answered and closed before reading everything: the answer is what counts
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketException e) {
            return new Response(-1, Map.of(), new byte[0]);
        }
        if (statusLine == null || statusLine.isEmpty()) {
            return new Response(-1, Map.of(), new byte[0]);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body;
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        } else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
            body = chunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return out.toByteArray();
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while ((size = line(in)) != null && !size.isEmpty()) {
                    // trailers
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            line(in);
        }
    }

    /** One CRLF-terminated line (ISO-8859-1), or {@code null} at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        return FakeLlmServer.readLine(in);
    }
}
