package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.launcher.LauncherSettings.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedPortsAndAGeneratedSecretKeptInTheDataFolder() throws Exception {
        LauncherSettings first = LauncherSettings.fromEnvironment(Map.of("SPOOL_DATA_DIR", dir.toString()));
        LauncherSettings second = LauncherSettings.fromEnvironment(Map.of("SPOOL_DATA_DIR", dir.toString()));

        assertThat(first.httpPort()).isEqualTo(8080);
        assertThat(first.processorPort()).isEqualTo(8081);
        assertThat(first.projectionPort()).isEqualTo(8082);
        assertThat(LauncherSettings.fromEnvironment(Map.of("SPOOL_DATA_DIR", dir.toString(),
                "SPOOL_PROCESSOR_PORT", "9181", "SPOOL_PROJECTION_PORT", "-1")))
                .extracting(LauncherSettings::processorPort, LauncherSettings::projectionPort).containsExactly(9181, -1);
        assertThat(first.infra().kafkaPort()).isEqualTo(9092);
        assertThat(first.infra().redisPort()).isEqualTo(6379);
        assertThat(first.infra().persistent()).isTrue();
        assertThat(first.jwtSecret()).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second.jwtSecret());
        assertThat(Files.readString(dir.resolve("jwt-secret"))).isEqualTo(first.jwtSecret());
        assertThat(first.services()).containsExactlyInAnyOrder(Service.INGEST, Service.PROCESSOR, Service.PROJECTION);
    }

    @Test
    void environmentOverridesPortsAndSecret() {
        LauncherSettings settings = LauncherSettings.fromEnvironment(Map.of(
                "SPOOL_DATA_DIR", dir.toString(),
                "SPOOL_HTTP_PORT", "18080",
                "SPOOL_KAFKA_PORT", "19092",
                "SPOOL_S3_PORT", "19000",
                "SPOOL_MONGO_PORT", "37017",
                "SPOOL_REDIS_PORT", "16379",
                "SPOOL_AUTH_JWT_SECRET", "a-secret-from-the-environment-of-32-bytes"));

        assertThat(settings.httpPort()).isEqualTo(18080);
        assertThat(settings.infra().kafkaPort()).isEqualTo(19092);
        assertThat(settings.infra().s3Port()).isEqualTo(19000);
        assertThat(settings.infra().mongoPort()).isEqualTo(37017);
        assertThat(settings.infra().redisPort()).isEqualTo(16379);
        assertThat(settings.jwtSecret()).isEqualTo("a-secret-from-the-environment-of-32-bytes");
        assertThat(dir.resolve("jwt-secret")).doesNotExist();
    }

    @Test
    void servicesAreAChosenSubsetWithSpacesAndCaseIgnored() {
        LauncherSettings settings = LauncherSettings.fromEnvironment(Map.of(
                "SPOOL_DATA_DIR", dir.toString(),
                "SPOOL_SERVICES", " Ingest , projection,"));

        assertThat(settings.services()).containsExactlyInAnyOrder(Service.INGEST, Service.PROJECTION);
    }

    @Test
    void blankServicesMeanAllThree() {
        assertThat(LauncherSettings.services("  ")).containsExactlyInAnyOrder(Service.values());
        assertThat(LauncherSettings.services(null)).containsExactlyInAnyOrder(Service.values());
    }

    @Test
    void anUnknownServiceStopsTheLauncherAndNamesTheChoices() {
        assertThatThrownBy(() -> LauncherSettings.services("ingest,procesor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'procesor'")
                .hasMessageContaining("ingest, processor, projection");
        assertThatThrownBy(() -> LauncherSettings.services(" , "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no service");
    }
}
