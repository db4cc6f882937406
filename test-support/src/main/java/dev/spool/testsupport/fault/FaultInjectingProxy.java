package dev.spool.testsupport.fault;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An HTTP reverse proxy on 127.0.0.1 that forwards to one target (S3Proxy in Spool's tests) and can be told, while
 * running, to fail or stall requests. Forwarded requests keep their method, URI and headers, including the original
 * {@code Host}, because SigV4 signs it and S3Proxy checks the signature; bodies stream both ways without being
 * buffered, so 8 MiB parts cost no memory.
 *
 * <p>A stalled request is held for the given time without being read or answered, and then its connection is closed;
 * it never reaches the target. Stalls therefore model a hung server and leave no side effects behind a client that
 * timed out. Fault settings apply to requests that arrive after the call; all methods are thread-safe.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingProxy.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final int UNLIMITED = -1;

    /** Hop-by-hop headers belong to one connection (RFC 9110 section 7.6.1); netty frames each side itself. */
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            // The proxy answers 100-continue itself; SigV4 leaves Expect unsigned, so dropping it is safe.
            "expect");

    /** The AWS SDK's id of one call, the same on every attempt that retries it. */
    private static final String SDK_INVOCATION_ID = "amz-sdk-invocation-id";

    private static final Map<Integer, String> S3_ERROR_CODES = Map.of(500, "InternalError", 503, "SlowDown",
            429, "SlowDown", 403, "AccessDenied", 404, "NoSuchKey", 400, "BadRequest");

    private final LoopResources loops;
    private final ConnectionProvider connections;
    private final HttpClient client;
    private final DisposableServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong injectedFaults = new AtomicLong();
    private final Queue<ObjectWrite> objectWrites = new ConcurrentLinkedQueue<>();
    private final Queue<Hold> holds = new ConcurrentLinkedQueue<>();
    private Fault fault = Fault.PASS_THROUGH;
    private int remaining = UNLIMITED;

    private FaultInjectingProxy(String targetHost, int targetPort) {
        loops = LoopResources.create("fault-proxy", 2, true);
        connections = ConnectionProvider.create("fault-proxy", 64);
        client = HttpClient.create(connections)
                .runOn(loops)
                .baseUrl("http://" + targetHost + ":" + targetPort);
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle(this::handle)
                .bindNow();
    }

    /** Starts a proxy on a free loopback port that forwards everything to {@code targetHost:targetPort}. */
    public static FaultInjectingProxy start(String targetHost, int targetPort) {
        FaultInjectingProxy proxy = new FaultInjectingProxy(targetHost, targetPort);
        LOG.info("Fault-injecting proxy on {} forwards to {}:{}", proxy.endpoint(), targetHost, targetPort);
        return proxy;
    }

    public int port() {
        return server.port();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Forwards every request again. */
    public void passThrough() {
        set(Fault.PASS_THROUGH, UNLIMITED);
    }

    /** Answers the next {@code n} requests with {@code status} and an S3-style error body, then passes through. */
    public void failNext(int n, int status) {
        set(Fault.fail(status), count(n));
    }

    /** Answers every request with {@code status} and an S3-style error body until told otherwise. */
    public void failAll(int status) {
        set(Fault.fail(status), UNLIMITED);
    }

    /** Stalls the next {@code n} requests for {@code duration}, then closes their connections. */
    public void stallNext(int n, Duration duration) {
        set(Fault.stall(duration), count(n));
    }

    /** Stalls every request for {@code duration}, then closes its connection, until told otherwise. */
    public void stallAll(Duration duration) {
        set(Fault.stall(duration), UNLIMITED);
    }

    /**
     * Holds every request whose path contains {@code pathFragment}, unforwarded and unanswered, until the returned hold
     * is released; then they are forwarded as they came. Unlike a stall, which always ends, this lets a test decide
     * when a request may go on, so that "still waiting" does not depend on how fast the machine is. A client may time
     * out meanwhile and send its request again: that one is held as well.
     */
    public Hold hold(String pathFragment) {
        Objects.requireNonNull(pathFragment, "pathFragment");
        return hold(uri -> uri.getRawPath().contains(pathFragment));
    }

    /** As {@link #hold(String)}, for every request whose URI (path and query) {@code matches}. */
    public Hold hold(Predicate<URI> matches) {
        Objects.requireNonNull(matches, "matches");
        Hold hold = new Hold(matches);
        holds.add(hold);
        return hold;
    }

    /** Requests received since start, faulty or not. */
    public long requests() {
        return requests.get();
    }

    /** Requests that were failed or stalled instead of forwarded. */
    public long injectedFaults() {
        return injectedFaults.get();
    }

    /**
     * Every whole write of an object that the target accepted, in the order answered: a {@code PutObject} (or
     * {@code CopyObject}) or a {@code CompleteMultipartUpload}; the parts of a multipart upload are not writes of the
     * object. An object written again under the same key replaces the old one in S3, which hides the second write
     * from anyone who lists the bucket afterwards; this does not.
     */
    public List<ObjectWrite> objectWrites() {
        return List.copyOf(objectWrites);
    }

    private static int count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        return n;
    }

    private synchronized void set(Fault next, int times) {
        fault = next;
        remaining = times;
    }

    private synchronized Fault takeFault() {
        if (remaining == 0) {
            fault = Fault.PASS_THROUGH;
            remaining = UNLIMITED;
        }
        if (fault != Fault.PASS_THROUGH && remaining > 0) {
            remaining--;
        }
        return fault;
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        requests.incrementAndGet();
        Fault current = takeFault();
        if (current == Fault.PASS_THROUGH) {
            URI uri = URI.create(request.uri());
            return holds.stream().filter(hold -> hold.matches.test(uri)).findFirst()
                    .map(hold -> hold.released.asMono().then(Mono.defer(() -> hold.failStatus == 0
                            ? forward(request, response) : fail(request, response, hold.failStatus))))
                    .orElseGet(() -> forward(request, response));
        }
        injectedFaults.incrementAndGet();
        if (current.stall() != null) {
            return Mono.delay(current.stall())
                    .then(Mono.<Void>fromRunnable(() -> response.withConnection(Connection::dispose)));
        }
        return fail(request, response, current.status());
    }

    private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders original = request.requestHeaders();
        return client.headers(headers -> headers.set(withoutHopByHop(original)))
                .request(request.method())
                .uri(request.uri())
                .send((outbound, body) -> {
                    dropDefaultsNotSent(outbound.requestHeaders(), original);
                    return body.send(request.receive().retain());
                })
                .response((upstream, body) -> {
                    recordWrite(request, upstream.status().code());
                    return response.status(upstream.status())
                            .headers(withoutHopByHop(upstream.responseHeaders()))
                            .send(body.retain());
                })
                .then()
                .onErrorResume(error -> answerBadGateway(request, response, error));
    }

    private void recordWrite(HttpServerRequest request, int status) {
        if (status / 100 != 2) {
            return;
        }
        URI uri = URI.create(request.uri());
        boolean ofPart = uri.getRawQuery() != null && uri.getRawQuery().contains("uploadId=");
        boolean put = request.method() == HttpMethod.PUT && !ofPart;
        boolean completed = request.method() == HttpMethod.POST && ofPart;
        if (put || completed) {
            objectWrites.add(new ObjectWrite(uri.getRawPath(), request.requestHeaders().get(SDK_INVOCATION_ID),
                    Instant.now()));
        }
    }

    /** Reactor Netty adds User-Agent and Accept when absent; the target must see the client's headers only. */
    private static void dropDefaultsNotSent(HttpHeaders outgoing, HttpHeaders original) {
        for (CharSequence name : List.of(HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT)) {
            if (!original.contains(name)) {
                outgoing.remove(name);
            }
        }
    }

    private static HttpHeaders withoutHopByHop(HttpHeaders headers) {
        HttpHeaders copy = new DefaultHttpHeaders().set(headers);
        HOP_BY_HOP.forEach(copy::remove);
        return copy;
    }

    private static Mono<Void> answerBadGateway(HttpServerRequest request, HttpServerResponse response,
            Throwable error) {
        LOG.warn("Forwarding {} {} failed", request.method(), request.uri(), error);
        if (response.hasSentHeaders()) {
            return Mono.error(error);
        }
        return response.status(502).send().then();
    }

    private Mono<Void> fail(HttpServerRequest request, HttpServerResponse response, int status) {
        String code = S3_ERROR_CODES.getOrDefault(status, "InjectedFault");
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>Injected by FaultInjectingProxy</Message><RequestId>fault-"
                + injectedFaults.get() + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        boolean head = request.method() == HttpMethod.HEAD;
        // Reading the body to its end keeps the connection reusable for the client's next attempt.
        return request.receive().then()
                .then(response.status(status)
                        .header(HttpHeaderNames.CONTENT_TYPE, "application/xml")
                        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                        .sendByteArray(head ? Mono.empty() : Mono.just(body))
                        .then());
    }

    @Override
    public void close() {
        server.disposeNow(SHUTDOWN_TIMEOUT);
        connections.disposeLater().block(SHUTDOWN_TIMEOUT);
        // No quiet period: nothing is left to drain once the server and its connections are gone.
        loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block(SHUTDOWN_TIMEOUT);
    }

    /**
     * One whole write of an object, as the target accepted it.
     *
     * @param path {@code /bucket/key}, as the client sent it (path-style)
     * @param invocation the AWS SDK's call id, shared by the attempts of one call; {@code null} from other clients
     * @param at when the target answered
     */
    public record ObjectWrite(String path, String invocation, Instant at) {
    }

    /** Requests held back until {@link #release()}; see {@link #hold(String)}. */
    public final class Hold implements AutoCloseable {

        private final Predicate<URI> matches;
        private final Sinks.Empty<Void> released = Sinks.empty();
        private volatile int failStatus;

        private Hold(Predicate<URI> matches) {
            this.matches = matches;
        }

        /** Forwards the requests held so far and every later one. */
        public void release() {
            holds.remove(this);
            released.tryEmitEmpty();
        }

        /** Answers the requests held so far with {@code status}, unforwarded; later ones are forwarded. */
        public void fail(int status) {
            failStatus = Fault.fail(status).status();
            release();
        }

        @Override
        public void close() {
            release();
        }
    }

    /** What happens to one request: forwarded, answered with {@code status}, or stalled for {@code stall}. */
    private record Fault(int status, Duration stall) {

        static final Fault PASS_THROUGH = new Fault(0, null);

        static Fault fail(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            return new Fault(status, null);
        }

        static Fault stall(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative: " + duration);
            }
            return new Fault(0, duration);
        }
    }
}
