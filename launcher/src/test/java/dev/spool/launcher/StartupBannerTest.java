package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

    @Test
    void theBannerLinksToTheWebPageSignedInWithTheTokenInTheFragment() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StartupBanner.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "http://localhost:8080", List.of(),
                List.of(), "user.token.jwt", "admin.token.jwt");
        String banner = bytes.toString(StandardCharsets.UTF_8);

        assertThat(banner).contains("Web page        http://localhost:8080/\n")
                .contains("signed in as the demo user:\n  http://localhost:8080/#token=user.token.jwt\n")
                .contains("http://localhost:8080/#token=admin.token.jwt\n")
                .contains("API index       http://localhost:8080/api\n");
    }
}
