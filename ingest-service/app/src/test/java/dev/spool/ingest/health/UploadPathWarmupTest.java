package dev.spool.ingest.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.testsupport.SharedInfra;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Before the service reports ready, and before any upload, its Kafka producer has registered its transactional id
 * with the broker: the warm-up ran. A context of its own (its own transactional-id prefix), in which nothing uploads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spool.ingest.transaction-id-prefix=" + UploadPathWarmupTest.PREFIX)
class UploadPathWarmupTest {

    static final String PREFIX = "warm-up-test-";

    @Autowired
    private ApplicationAvailability availability;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, JwtIssuer.randomSecret());
    }

    @Test
    void theProducerIsRegisteredWithTheBrokerBeforeTheFirstUpload() throws Exception {
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            Set<String> ids = admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId).collect(Collectors.toSet());
            assertThat(ids).anyMatch(id -> id.startsWith(PREFIX));
        }
    }
}
