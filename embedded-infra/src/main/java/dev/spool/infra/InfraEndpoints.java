package dev.spool.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a set of Kafka, S3, MongoDB and Redis servers answers, embedded or in containers. */
public interface InfraEndpoints {

    String kafkaBootstrapServers();

    String s3Endpoint();

    String s3AccessKey();

    String s3SecretKey();

    String s3Region();

    String mongoUri();

    String redisHost();

    int redisPort();

    /** The properties that point Spool's services at these servers. */
    default Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        properties.put("spool.storage.endpoint", s3Endpoint());
        properties.put("spool.storage.region", s3Region());
        properties.put("spool.storage.access-key", s3AccessKey());
        properties.put("spool.storage.secret-key", s3SecretKey());
        properties.put("spring.mongodb.uri", mongoUri());
        properties.put("spring.data.redis.host", redisHost());
        properties.put("spring.data.redis.port", Integer.toString(redisPort()));
        return properties;
    }
}
