package dev.spool.infra.s3;

import dev.spool.infra.net.FreePorts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible endpoint backed by a folder (S3Proxy). Signatures are checked, so clients must sign exactly
 * as they would against AWS or MinIO.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "spool";
    public static final String SECRET_KEY = "spool-secret-key";
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final S3Proxy proxy;
    private final String endpoint;

    private S3Server(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static S3Server start(Path baseDir, int requestedPort, List<String> buckets) {
        int port = FreePorts.resolve(requestedPort);
        String endpoint = "http://127.0.0.1:" + port;
        try {
            Files.createDirectories(baseDir);
            BlobStore store = new FilesystemNio2BlobStore(baseDir.toString());
            buckets.stream().filter(bucket -> !store.containerExists(bucket)).forEach(store::createContainer);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create(endpoint))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            awaitStarted(proxy);
            LOG.info("S3 (S3Proxy) listening on {}, data in {}", endpoint, baseDir);
            return new S3Server(proxy, endpoint);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy failed to start on port " + port, e);
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("S3Proxy did not stop cleanly", e);
        }
    }
}
