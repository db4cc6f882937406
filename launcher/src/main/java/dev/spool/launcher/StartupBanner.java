package dev.spool.launcher;

import java.io.PrintStream;
import java.util.List;

/**
 * What a person needs right after start-up: where everything listens and two tokens to call the API with.
 * Printed to standard output rather than logged so that it stays readable among the JSON log lines.
 */
final class StartupBanner {

    private StartupBanner() {
    }

    static void print(PrintStream out, String baseUrl, List<String> infraEndpoints, List<String> otherServices,
            String userToken, String adminToken) {
        StringBuilder text = new StringBuilder(1024);
        text.append("\n================ Spool is ready ================\n")
                .append("Web page        ").append(baseUrl).append("/\n")
                .append("API index       ").append(baseUrl).append("/api\n")
                .append("Upload          POST ").append(baseUrl).append("/api/v1/uploads\n")
                .append("Resumable (tus)      ").append(baseUrl).append("/api/v1/tus/\n")
                .append("Job status      GET  ").append(baseUrl).append("/api/v1/jobs/{id}\n")
                .append("Extracted text  GET  ").append(baseUrl).append("/api/v1/jobs/{id}/text\n")
                .append("Readiness       GET  ").append(baseUrl).append("/actuator/health/readiness\n")
                .append("Metrics         GET  ").append(baseUrl).append("/actuator/prometheus\n");
        otherServices.forEach(line -> text.append(line).append('\n'));
        infraEndpoints.forEach(line -> text.append(line).append('\n'));
        text.append("\nDemo user token (sub=").append(DemoTokens.DEMO_USER).append(", tier=standard):\n  ")
                .append(userToken).append('\n')
                .append("Admin token (sub=").append(DemoTokens.ADMIN_USER).append(", roles=admin):\n  ")
                .append(adminToken).append('\n')
                .append("\nOpen the web page signed in as the demo user:\n  ").append(signedInLink(baseUrl, userToken))
                .append('\n')
                .append("Or as the admin (dead letters):\n  ").append(signedInLink(baseUrl, adminToken)).append('\n')
                .append("\nTry it:\n  curl -H \"Authorization: Bearer $TOKEN\" -F file=@document.pdf ")
                .append(baseUrl).append("/api/v1/uploads\n")
                .append("=================================================\n");
        out.print(text);
        out.flush();
    }

    /** The page reads the token from the fragment, which browsers never send to the server, then drops it. */
    static String signedInLink(String baseUrl, String token) {
        return baseUrl + "/#token=" + token;
    }
}
