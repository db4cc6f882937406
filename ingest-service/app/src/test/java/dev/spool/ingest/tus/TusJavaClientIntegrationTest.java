package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.testsupport.SharedInfra;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * tus-java-client, unchanged, against the real servers: it sends its PATCH requests as POST with
 * {@code X-HTTP-Method-Override}, chunked and with {@code Expect: 100-continue}, in requests that end inside a part;
 * when the file is a whole number of requests long, it ends with an empty one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spool.ingest.part-size=5MB")
class TusJavaClientIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void aFileSentInSeveralRequestsBecomesOneJobWithItsSha256() throws Exception {
        uploadsAsOneJob(SampleFiles.text(23 * MIB + 99));
    }

    @Test
    void aFileOfWholeRequestsEndsWithAnEmptyRequestThatIsAnsweredToo() throws Exception {
        uploadsAsOneJob(SampleFiles.text(21 * MIB));
    }

    private void uploadsAsOneJob(byte[] file) throws Exception {
        String user = "tus-java-" + UUID.randomUUID();
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create("http://localhost:" + port + "/api/v1/tus/").toURL());
        client.setHeaders(Map.of("Authorization", "Bearer " + ISSUER.user(user)));
        TusUpload upload = new TusUpload();
        upload.setInputStream(new ByteArrayInputStream(file));
        upload.setSize(file.length);
        upload.setFingerprint(user);
        upload.setMetadata(Map.of("filename", "notes.txt", "filetype", "text/plain"));

        TusUploader uploader = client.createUpload(upload);
        uploader.setChunkSize(256 * 1024);
        uploader.setRequestPayloadSize(7 * MIB);
        int requests = 0;
        while (uploader.uploadChunk() > -1) {
            requests++;
        }
        uploader.finish();

        assertThat(uploader.getOffset()).isEqualTo(file.length);
        String url = uploader.getUploadURL().toString();
        String jobId = url.substring(url.lastIndexOf('/') + 1);
        assertThat(JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user)).singleElement()
                .satisfies(job -> {
                    assertThat(job.jobId()).isEqualTo(jobId);
                    assertThat(job.sha256()).isEqualTo(HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(file)));
                });
        assertThat(requests).isGreaterThanOrEqualTo(3);
    }
}
