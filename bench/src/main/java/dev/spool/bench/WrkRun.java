package dev.spool.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@code wrk} (the HTTP load generator, Debian package {@code wrk}) and what it printed with
 * {@code --latency}: requests per second, latency percentiles, and responses that were not 2xx or 3xx.
 *
 * @param requestsPerSecond the {@code Requests/sec} line
 * @param p50Millis 50th percentile latency
 * @param p90Millis 90th percentile latency
 * @param p99Millis 99th percentile latency
 * @param requests requests completed
 * @param non2xx responses that were not 2xx or 3xx
 * @param socketErrors connect, read, write and timeout errors together
 */
record WrkRun(double requestsPerSecond, double p50Millis, double p90Millis, double p99Millis, long requests, long non2xx,
        long socketErrors) {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("^\\s*Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Runs wrk against {@code url}, with {@code header} (e.g. an Authorization header) when not {@code null}. */
    static WrkRun run(String url, String header, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency"));
        if (header != null) {
            command.addAll(List.of("-H", header));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        return parse(output);
    }

    /** Reads wrk's report. */
    static WrkRun parse(String output) {
        double rate = -1;
        double p50 = -1;
        double p90 = -1;
        double p99 = -1;
        long requests = -1;
        long non2xx = 0;
        long socketErrors = 0;
        for (String line : output.split("\n")) {
            Matcher matcher = PERCENTILE.matcher(line);
            if (matcher.find()) {
                double millis = millis(Double.parseDouble(matcher.group(2)), matcher.group(3));
                switch (matcher.group(1)) {
                    case "50" -> p50 = millis;
                    case "90" -> p90 = millis;
                    default -> p99 = millis;
                }
                continue;
            }
            if ((matcher = RATE.matcher(line)).find()) {
                rate = Double.parseDouble(matcher.group(1));
            } else if ((matcher = TOTAL.matcher(line)).find()) {
                requests = Long.parseLong(matcher.group(1));
            } else if ((matcher = NON_2XX.matcher(line)).find()) {
                non2xx = Long.parseLong(matcher.group(1));
            } else if ((matcher = SOCKET_ERRORS.matcher(line)).find()) {
                for (int group = 1; group <= 4; group++) {
                    socketErrors += Long.parseLong(matcher.group(group));
                }
            }
        }
        if (rate < 0 || p50 < 0 || p90 < 0 || p99 < 0 || requests < 0) {
            throw new IllegalArgumentException("not a wrk --latency report:\n" + output);
        }
        return new WrkRun(rate, p50, p90, p99, requests, non2xx, socketErrors);
    }

    private static double millis(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
