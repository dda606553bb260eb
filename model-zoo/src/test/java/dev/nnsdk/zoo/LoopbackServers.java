package dev.nnsdk.zoo;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test servers on 127.0.0.1: a real HTTP server serving fixed bodies, and raw sockets that misbehave. */
final class LoopbackServers {

    private LoopbackServers() {
    }

    /** An HTTP server answering GET /NAME with the registered body (404 otherwise); counts requests. */
    static final class Http implements AutoCloseable {
        final HttpServer server;
        final Map<String, byte[]> bodies = new ConcurrentHashMap<String, byte[]>();
        final AtomicInteger requests = new AtomicInteger();

        Http() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                requests.incrementAndGet();
                byte[] body = bodies.get(ex.getRequestURI().getPath());
                try (OutputStream out = ex.getResponseBody()) {
                    if (body == null) {
                        ex.sendResponseHeaders(404, -1);
                    } else {
                        ex.sendResponseHeaders(200, body.length);
                        out.write(body);
                    }
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** What a raw server does after reading the request: answer with headers and part of the body, then act. */
    enum Misbehaviour { CLOSE_AT_ONCE, TRUNCATE, STALL_BODY, STALL_HEADERS }

    /** A raw socket server that counts accepted connections and misbehaves in one way. */
    static final class Raw implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepts = new AtomicInteger();
        private final Thread thread;
        private volatile boolean closed;

        Raw(Misbehaviour how, int declaredLength, int sentLength) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!closed) {
                    try (Socket s = socket.accept()) {
                        accepts.incrementAndGet();
                        if (how == Misbehaviour.CLOSE_AT_ONCE) {
                            continue;
                        }
                        readHeaders(s.getInputStream());
                        if (how == Misbehaviour.STALL_HEADERS) {
                            hold();
                            continue;
                        }
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + declaredLength + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(new byte[sentLength]);
                        out.flush();
                        if (how == Misbehaviour.STALL_BODY) {
                            hold();
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "raw-loopback-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void hold() {
            long end = System.currentTimeMillis() + 20000;
            while (!closed && System.currentTimeMillis() < end) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static void readHeaders(InputStream in) throws IOException {
            int state = 0;
            int c;
            while ((c = in.read()) >= 0) {
                state = (c == '\r' || c == '\n') ? state + 1 : 0;
                if (state == 4) {
                    return;
                }
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            socket.close();
        }
    }
}
